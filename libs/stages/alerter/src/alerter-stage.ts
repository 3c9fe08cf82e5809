import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { MESSAGE_BUS, MessageBus, ReceivedEvent, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { AlertDelivery } from './alert-delivery';

/**
 * Consumes news.classified.v1, matches each article against the subscriptions, records new alerts
 * in the ledger (exactly once per subscription and article) with their pending deliveries, starts
 * delivering them (webhook, email, SSE) and publishes them to alerts.v1. Redelivered or
 * re-classified articles find their alerts already in the ledger and make none.
 */
@StageController()
export class AlerterStage {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AlertDelivery) private readonly delivery: AlertDelivery,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.classified, CONSUMER_GROUPS.alerter), { maxBatchSize: 200 })
  async alert(@Payload() events: ReceivedEvent<'news.classified.v1'>[]): Promise<void> {
    const alerts = await this.delivery.handleClassified(events.map((received) => received.event));
    const traceIds = new Map(events.map((received) => [received.event.id, received.traceId]));
    await publishEvents(
      this.bus,
      BUS_TOPICS.alerts,
      alerts,
      new Map(alerts.map((alert) => [alert.id, traceIds.get(alert.articleId ?? '') ?? alert.id])),
    );
    for (const alert of alerts) {
      this.metrics.alertsDelivered.inc({ channel: 'sse' });
      this.logger.info({ articleId: alert.articleId, subscriptionId: alert.subscriptionId, traceId: traceIds.get(alert.articleId ?? '') }, 'alert');
    }
    this.metrics.eventsProcessed.inc({ stage: 'alerter' }, events.length);
    this.activity.recordEvents('alerter', events.length);
  }
}
