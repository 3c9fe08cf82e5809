import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ConsumerHandle, MESSAGE_BUS, MessageBus, consumeEvents, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { AlertDelivery } from './alert-delivery';
import { deadLetterReporter } from '@monitor/runtime';

/**
 * Consumes news.classified.v1, matches each article against the subscriptions, records new alerts
 * in the ledger (exactly once per subscription and article) with their pending deliveries, starts
 * delivering them (webhook, email, SSE) and publishes them to alerts.v1. Redelivered or
 * re-classified articles find their alerts already in the ledger and make none.
 */
@Injectable()
export class AlerterStage implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AlertDelivery) private readonly delivery: AlertDelivery,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await consumeEvents(this.bus, {
      topic: BUS_TOPICS.classified,
      group: CONSUMER_GROUPS.alerter,
      maxBatchSize: 200,
      onDeadLetter: deadLetterReporter(this.metrics, this.activity, this.logger),
      handle: async (events) => {
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
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
