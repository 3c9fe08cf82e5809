import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ReceivedEvent } from '@monitor/messaging';
import { MONITOR_METRICS, MonitorMetrics } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { AlertSending } from './alert-sending';

/**
 * Consumes alerts.v1 (keyed by subscription, so one subscription's alerts come in order to one
 * worker of the group) and sends each on the push channels its subscription wants. The batch is
 * committed only once every delivery of it is recorded in the delivery log as delivered, failed
 * (and dead-lettered) or pending for a later attempt; a throw (the log unreachable) leaves the
 * batch to be delivered again, and the log keeps a delivered alert from being sent twice.
 */
@StageController()
export class DeliveryStage {
  constructor(
    @Inject(AlertSending) private readonly sending: AlertSending,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.alerts, CONSUMER_GROUPS.alertDelivery), { maxBatchSize: 100 })
  async deliver(@Payload() events: ReceivedEvent<'alerts.v1'>[]): Promise<void> {
    await this.sending.deliverAlerts(events.map((received) => received.event));
    this.metrics.eventsProcessed.inc({ stage: 'delivery' }, events.length);
  }
}
