import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ALERT_LEDGER,
  AlertLedger,
  AlertStreamHub,
  Alerter,
  DELIVERY_LOG,
  DIGEST_PERIODS,
  DeliveryLog,
  DeliveryRecord,
  DigestPeriodStore,
  PushMessage,
  SPIKE_BASELINES,
  SUBSCRIPTION_STORE,
  SpikeBaselineStore,
  SubscriptionStore,
  WebhookUrlPolicy,
  createAlerter,
} from '@monitor/alerts';
import { BUS_TOPICS, ClassifiedArticle, HEADERS, deadLetterTopic } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { MESSAGE_BUS, MessageBus, deadLetterMessage } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';

/** Where deliveries that failed for good go, with their reason: alerts.v1.dlq. */
export const ALERT_DEAD_LETTER_TOPIC = deadLetterTopic(BUS_TOPICS.alerts);

/**
 * Everything the alerter does with an alert after matching: the ledger records it (exactly once),
 * then its pending webhook and email deliveries are written under ids derived from it (the outbox,
 * written again when the article comes again, which repairs a crash in between), the SSE hub
 * wakes its owner's streams, and the dispatcher sends the deliveries with retries. A delivery that
 * fails for good is published to alerts.v1.dlq with its reason and stays visible through the API
 * (GET /alerts/deliveries). Timers that start and stop with the application resume deliveries a
 * crash or stop left pending, send due hourly and daily digests, and look for topic spikes.
 */
@Injectable()
export class AlertDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly alerter: Alerter;
  // Alerts carry their source's name; alerts recorded before they did are named from the
  // classified articles that pass by this process.
  private readonly sourceNames = new Map<string, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = new Set<string>();
  private ticks = 0;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(SUBSCRIPTION_STORE) subscriptions: SubscriptionStore,
    @Inject(ALERT_LEDGER) ledger: AlertLedger,
    @Inject(DELIVERY_LOG) deliveries: DeliveryLog,
    @Inject(SPIKE_BASELINES) spikeBaselines: SpikeBaselineStore,
    @Inject(DIGEST_PERIODS) digestPeriods: DigestPeriodStore,
    @Inject(WebhookUrlPolicy) policy: WebhookUrlPolicy,
    @Inject(AlertStreamHub) stream: AlertStreamHub,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    this.alerter = createAlerter({
      subscriptions,
      ledger,
      deliveries,
      spikeBaselines,
      digestPeriods,
      webhook: { policy },
      email: config.SMTP_URL ? { smtpUrl: config.SMTP_URL, from: config.ALERT_EMAIL_FROM, sourceName: (id) => this.sourceNames.get(id) } : undefined,
      alsoDeliverTo: [stream],
      delivery: {
        maxAttempts: config.ALERT_DELIVERY_MAX_ATTEMPTS,
        initialDelayMs: config.ALERT_RETRY_INITIAL_DELAY_MS,
        maxDelayMs: config.ALERT_RETRY_MAX_DELAY_MS,
        onDelivered: (record) => this.metrics.alertsDelivered.inc({ channel: record.channel }),
        onFailed: (record) => this.recordFailure(record),
        deadLetter: (record, message) => this.deadLetter(record, message),
      },
    });
  }

  /** Alerts for these classified articles: recorded once, then delivered on every channel. */
  handleClassified(articles: ClassifiedArticle[]) {
    for (const article of articles) if (article.sourceName) this.sourceNames.set(article.sourceId, article.sourceName);
    return this.alerter.handleClassified(articles);
  }

  onApplicationBootstrap(): void {
    const every = this.config.ALERT_SCHEDULER_INTERVAL_MS;
    this.schedule('resume', () => this.alerter.resumeStale());
    this.timers.push(
      setInterval(() => {
        this.ticks += 1;
        this.schedule('resume', () => this.alerter.resumeStale());
        this.schedule('digests', () => this.alerter.runDueDigests());
        if (this.ticks % 5 === 1) this.schedule('spikes', async () => this.alerter.checkSpikes());
      }, every),
    );
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.alerter.stop();
  }

  // One run of each task at a time: a slow digest round must not pile up behind the timer.
  private schedule(task: string, run: () => Promise<unknown>): void {
    if (this.busy.has(task)) return;
    this.busy.add(task);
    run()
      .catch((error: unknown) => this.logger.error({ err: error, task }, 'alert task failed'))
      .finally(() => this.busy.delete(task));
  }

  private recordFailure(record: DeliveryRecord): void {
    const reason = record.lastError ?? 'failed';
    this.metrics.alertsFailed.inc({ channel: record.channel });
    this.metrics.deadLetters.inc({ topic: ALERT_DEAD_LETTER_TOPIC });
    this.activity.recordDeadLetter({ topic: ALERT_DEAD_LETTER_TOPIC, reason, key: record.alertId, at: new Date().toISOString() });
    this.logger.warn({ alertId: record.alertId, channel: record.channel, subscriptionId: record.subscriptionId, reason }, 'alert delivery failed');
  }

  /** Throws when the bus refuses it: the delivery log keeps the letter for the next resume round. */
  private async deadLetter(record: DeliveryRecord, message: PushMessage): Promise<void> {
    const reason = record.lastError ?? 'failed';
    try {
      await this.bus.publish(ALERT_DEAD_LETTER_TOPIC, [
        deadLetterMessage({
          key: record.alertId,
          value: JSON.stringify({ delivery: record, message }),
          headers: { [HEADERS.schema]: ALERT_DEAD_LETTER_TOPIC },
          reason,
          code: 'DELIVERY_FAILED',
          sourceTopic: `${BUS_TOPICS.alerts}/${record.channel}`,
        }),
      ]);
    } catch (error) {
      this.logger.error({ err: error, alertId: record.alertId }, 'could not publish to the dead-letter topic; will try again');
      throw error;
    }
  }
}
