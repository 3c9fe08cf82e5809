import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ALERT_LEDGER, AlertLedger, AlertService, AlertStreamHub, SUBSCRIPTION_STORE, SubscriptionMatcher, SubscriptionStore } from '@monitor/alerts';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ConsumerHandle, MESSAGE_BUS, MessageBus, consumeEvents, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';

/**
 * Consumes news.classified.v1, matches each article against the subscriptions, records new alerts
 * in the ledger (exactly once per subscription and article) and publishes them to alerts.v1.
 * Redelivered or re-classified articles find their alerts already in the ledger and make none.
 */
@Injectable()
export class AlerterStage implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;
  private readonly service: AlertService;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(SUBSCRIPTION_STORE) subscriptions: SubscriptionStore,
    @Inject(ALERT_LEDGER) ledger: AlertLedger,
    @Inject(AlertStreamHub) stream: AlertStreamHub,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    this.service = new AlertService({
      matcher: new SubscriptionMatcher(subscriptions.all()),
      ledger,
      subscriptions,
      deliverers: [stream],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await consumeEvents(this.bus, {
      topic: BUS_TOPICS.classified,
      group: CONSUMER_GROUPS.alerter,
      maxBatchSize: 200,
      onDeadLetter: (topic, reason, message) => {
        this.metrics.deadLetters.inc({ topic });
        this.activity.recordDeadLetter({ topic, reason, key: message.key, at: new Date().toISOString() });
      },
      handle: async (events) => {
        const alerts = await this.service.handleClassified(events.map((received) => received.event));
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
