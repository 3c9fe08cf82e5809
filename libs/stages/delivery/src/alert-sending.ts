import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  Alerter,
  DeliveryRecord,
  PushMessage,
  createAlerter,
} from '@monitor/alerts';
import { Alert, BUS_TOPICS, HEADERS, deadLetterTopic } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { MESSAGE_BUS, MessageBus, deadLetterMessage } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { AlerterState, ScheduledTasks } from '@monitor/runtime';

/** Where deliveries that failed for good go, with their reason: alerts.v1.dlq. */
export const ALERT_DEAD_LETTER_TOPIC = deadLetterTopic(BUS_TOPICS.alerts);

/**
 * Everything that goes out on the push channels (webhook, email): the alerts read from alerts.v1
 * (deliverAlerts, called by the DeliveryStage with each batch), the hourly and daily digests, and
 * the deliveries a crash, a stop or a long retry left pending. Each delivery and each attempt is
 * in the delivery log (GET /alerts/deliveries); one that fails for good is published to
 * alerts.v1.dlq with its reason.
 *
 * The timers run on every replica of the stage: resumeStale() claims rows (conditionally, so one
 * replica wins each) whose lease ran out, which covers a dead replica's rows and parked ones
 * (AlertDispatcher.run) once they are due; the digest scheduler's digests are create-only per
 * period, so replicas that make one at once send it once.
 */
@Injectable()
export class AlertSending implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly alerter: Alerter;
  private readonly tasks: ScheduledTasks;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AlerterState) state: AlerterState,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    this.tasks = new ScheduledTasks(logger);
    this.alerter = createAlerter({
      ...state.ports,
      webhook: { policy: state.webhookPolicy },
      email: config.SMTP_URL ? { smtpUrl: config.SMTP_URL, from: config.ALERT_EMAIL_FROM } : undefined,
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

  /** Sends these alerts where their subscriptions want them; resolves once each delivery is done, failed, parked or held by another worker. */
  deliverAlerts(alerts: Alert[]): Promise<DeliveryRecord[]> {
    return this.alerter.deliverAlerts(alerts);
  }

  onApplicationBootstrap(): void {
    const every = this.config.ALERT_SCHEDULER_INTERVAL_MS;
    this.tasks.every('resume', every, () => this.alerter.resumeStale());
    this.tasks.every('digests', every, () => this.alerter.runDueDigests());
  }

  /**
   * Before the transport closes, which waits for the batches in hand: their deliveries let go
   * (pending and free, for the next start or a sibling replica), so the batches end, recorded.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.tasks.stop();
    await this.alerter.stop();
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
