import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AlertStreamHub, Alerter, createAlerter } from '@monitor/alerts';
import { Alert } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { MESSAGE_BUS, MessageBus, ReceivedEvent } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { AlerterState, ScheduledTasks } from '@monitor/runtime';
import { AlertLogPublisher } from './alert-log-publisher';

/** Spikes are looked for every this many scheduler intervals. */
const SPIKE_CHECK_EVERY = 5;

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

  /** Alerts of per-story subscriptions for these story.assigned events (AlertService.handleStories). */
  async handleStories(events: ReceivedEvent<'stories.v1'>[]): Promise<Alert[]> {
    for (const { event, traceId } of events) this.traces.set(event.articleId, traceId);
    try {
      return await this.alerter.handleStories(events.map((received) => received.event));
    } finally {
      for (const { event } of events) this.traces.delete(event.articleId);
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
