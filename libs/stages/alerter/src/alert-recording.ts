import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AlertDeliverer, AlertStreamHub, Alerter, LedgerEntry, createAlerter } from '@monitor/alerts';
import { Alert, BUS_TOPICS } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { MESSAGE_BUS, MessageBus, ReceivedEvent, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { AlerterState, ScheduledTasks } from '@monitor/runtime';

/** Spikes are looked for every this many scheduler intervals. */
const SPIKE_CHECK_EVERY = 5;

/**
 * Publishes every alert the ledger holds for a batch to alerts.v1, the log of alerts, keyed by
 * subscription: the new ones and, again, those recorded before. The ledger write comes first; a
 * crash between it and the publish leaves the batch uncommitted, and its redelivery finds the
 * alerts in the ledger and publishes them then. Delivery workers and receivers tell a repeat by
 * the alert id, which is its delivery id.
 */
class AlertLogPublisher implements AlertDeliverer {
  constructor(
    private readonly bus: MessageBus,
    private readonly traceOf: (alert: Alert) => string | undefined,
  ) {}

  async outbox(entries: LedgerEntry[]): Promise<void> {
    const alerts = entries.map((entry) => entry.alert);
    const traces = new Map(alerts.flatMap((alert) => {
      const trace = this.traceOf(alert);
      return trace ? [[alert.id, trace] as const] : [];
    }));
    await publishEvents(this.bus, BUS_TOPICS.alerts, alerts, traces, { keyOf: (alert) => alert.subscriptionId });
  }

  deliver(): void {
    // Nothing to start: the delivery workers read what outbox() published.
  }
}

/**
 * What the alerter stage does with classified articles: matches them, records their alerts in the
 * ledger (exactly once), publishes them to alerts.v1 (see AlertLogPublisher) and wakes the SSE
 * streams of their owners. Sending them is the delivery stage's work, from alerts.v1. A timer
 * that starts and stops with the application looks for topic spikes, whose alerts take the same way.
 */
@Injectable()
export class AlertRecording implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly alerter: Alerter;
  /** Trace ids of the articles being handled, so that their alerts carry them on. */
  private readonly traces = new Map<string, string>();
  private readonly tasks: ScheduledTasks;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(AlerterState) state: AlerterState,
    @Inject(AlertStreamHub) stream: AlertStreamHub,
    @Inject(MONITOR_LOGGER) logger: Logger,
  ) {
    this.tasks = new ScheduledTasks(logger);
    this.alerter = createAlerter({
      ...state.ports,
      webhook: { policy: state.webhookPolicy },
      alsoDeliverTo: [new AlertLogPublisher(bus, (alert) => this.traces.get(alert.articleId ?? '')), stream],
    });
  }

  /** Alerts for these classified articles: recorded once, published (again) every time. Resolves with the new ones. */
  async handleClassified(events: ReceivedEvent<'news.classified.v1'>[]): Promise<Alert[]> {
    for (const { event, traceId } of events) this.traces.set(event.id, traceId);
    try {
      return await this.alerter.handleClassified(events.map((received) => received.event));
    } finally {
      for (const { event } of events) this.traces.delete(event.id);
    }
  }

  onApplicationBootstrap(): void {
    this.tasks.every('spikes', this.config.ALERT_SCHEDULER_INTERVAL_MS * SPIKE_CHECK_EVERY, () => this.alerter.checkSpikes());
  }

  async onApplicationShutdown(): Promise<void> {
    this.tasks.stop();
    await this.alerter.stop();
  }
}
