import { Alert, ClassifiedArticle, StoryAssigned } from '@monitor/contracts';
import { AlertDispatcher, AlertDispatcherOptions } from './alert-dispatcher';
import { AlertLedger } from './alert-ledger.port';
import { AlertDeliverer, AlertService } from './alert-service';
import { DeliveryLog, DeliveryRecord } from './delivery-log.port';
import { DigestPeriodStore } from './digest-period.port';
import { DigestScheduler } from './digest-scheduler';
import { EmailChannel, EmailChannelOptions } from './email-channel';
import { PushChannelSender } from './push-channel';
import { SpikeBaselineStore } from './spike-baseline.port';
import { SpikeDetector, SpikeOptions } from './spike-detector';
import { SubscriptionMatcher } from './subscription-matcher';
import { SubscriptionStore } from './subscription.port';
import { WebhookChannel, WebhookChannelOptions } from './webhook-channel';

/** Where the alerter keeps its state; each is a port with an adapter per mode. */
export interface AlerterPorts {
  subscriptions: SubscriptionStore;
  ledger: AlertLedger;
  deliveries: DeliveryLog;
  spikeBaselines: SpikeBaselineStore;
  digestPeriods: DigestPeriodStore;
}

export interface AlerterOptions {
  webhook: WebhookChannelOptions;
  /** Email goes out only when given (SMTP_URL is set). */
  email?: EmailChannelOptions;
  /**
   * What acts on recorded alerts: the publisher to alerts.v1 (the log of alerts the delivery
   * workers read, see deliverAlerts), the SSE hub.
   */
  alsoDeliverTo?: AlertDeliverer[];
  /** Retries, leases and what to do with a delivery's outcome (metrics, dead letters). */
  delivery?: Omit<AlertDispatcherOptions, 'log' | 'ledger' | 'subscriptions' | 'channels' | 'digests'>;
  spikes?: SpikeOptions;
  /** The clock of alerts, spikes and digests (the adapters take theirs when built). */
  now?: () => Date;
}

export interface Alerter {
  readonly service: AlertService;
  readonly dispatcher: AlertDispatcher;
  readonly digests: DigestScheduler;
  readonly spikes: SpikeDetector;
  readonly channels: readonly PushChannelSender[];
  /** Alerts for these classified articles: recorded once, and every one (new or not) handed to the deliverers' outbox. */
  handleClassified(articles: ClassifiedArticle[]): Promise<Alert[]>;
  /** Alerts of per-story subscriptions for these story.assigned events: one per subscription and story (and updates when asked). */
  handleStories(events: StoryAssigned[]): Promise<Alert[]>;
  /** Sends alerts read from the log of alerts (alerts.v1) on the push channels their subscriptions want (AlertDispatcher.deliverAlerts). */
  deliverAlerts(alerts: Alert[]): Promise<DeliveryRecord[]>;
  /** Spike alerts for `day` (UTC, default today); call it every few minutes. */
  checkSpikes(day?: string): Promise<Alert[]>;
  /** Records and sends the digests whose period has ended; resolves with their final delivery rows. */
  runDueDigests(): Promise<DeliveryRecord[]>;
  /** Resumes deliveries and dead letters a crash or stop left behind, and parked deliveries that are due. */
  resumeStale(limit?: number): Promise<number>;
  /** Lets deliveries in flight go (pending, for whoever starts next) and closes the channels. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Builds the whole alerter from its ports, so that the monitor and the tests run the same wiring.
 *
 * Dependencies run one way: the digest scheduler writes digests and their pending deliveries but
 * never sends, and the dispatcher, built after it, gets it as the place to find a digest's message
 * when it resumes one. runDueDigests() hands what the scheduler made to the dispatcher.
 *
 * Recording and sending meet only through the log of alerts: the service records an alert and
 * hands it to the deliverers (the monitor's publishes it to alerts.v1), and deliverAlerts() is
 * what a delivery worker calls with what it reads there. The monitor runs the two in different
 * consumer groups (the alerter and delivery stages); a test may join them in one process.
 */
export function createAlerter(deps: AlerterPorts & AlerterOptions): Alerter {
  const { subscriptions, ledger, deliveries: log, now } = deps;
  const email = deps.email ? new EmailChannel(deps.email) : null;
  const channels: PushChannelSender[] = [new WebhookChannel(deps.webhook), ...(email ? [email] : [])];
  const digests = new DigestScheduler({ periods: deps.digestPeriods, ledger, subscriptions, log, channels, now });
  const dispatcher = new AlertDispatcher({ ...deps.delivery, log, ledger, subscriptions, channels, digests });
  const spikes = new SpikeDetector(deps.spikeBaselines, deps.spikes);
  const service = new AlertService({
    matcher: SubscriptionMatcher.fromStore(subscriptions),
    ledger,
    subscriptions,
    deliverers: deps.alsoDeliverTo ?? [],
    spikes,
    now,
  });
  return {
    service,
    dispatcher,
    digests,
    spikes,
    channels,
    handleClassified: (articles) => service.handleClassified(articles),
    handleStories: (events) => service.handleStories(events),
    deliverAlerts: (alerts) => dispatcher.deliverAlerts(alerts),
    checkSpikes: (day) => service.checkSpikes(day),
    runDueDigests: async () => dispatcher.runAll(await digests.due()),
    resumeStale: (limit) => dispatcher.resumeStale(limit),
    stop: async (graceMs) => {
      await dispatcher.stop(graceMs);
      email?.close();
    },
  };
}
