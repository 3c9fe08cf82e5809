import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Alert } from '@monitor/contracts';
import { DeliveryError } from './alert-errors';
import { AlertLedger } from './alert-ledger.port';
import { DeliveryKey, DeliveryLog, DeliveryRecord, NewDelivery } from './delivery-log.port';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';

export interface DigestMessages {
  messageFor(digestId: string): Promise<PushMessage | null>;
}

export interface AlertDispatcherOptions {
  log: DeliveryLog;
  ledger: AlertLedger;
  subscriptions: { findById(id: string): Promise<Subscription | null> };
  channels: PushChannelSender[];
  /** Finds a digest's message again when a crashed delivery is resumed (the digest scheduler). */
  digests?: DigestMessages;
  /** Attempts per delivery before it is recorded as failed (N). */
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The longest a delivery waits between attempts inside one run (one batch of alerts.v1, one
   * digest round). A longer wait (a late attempt of a long backoff, a Retry-After of minutes)
   * parks the delivery instead: see run(). 10 s by default.
   */
  parkAfterMs?: number;
  /** A Retry-After beyond this is cut to it (one hour by default): a receiver cannot park a delivery forever. */
  maxRetryAfterMs?: number;
  /**
   * How long a worker's hold on a pending row lasts unless renewed; after that another replica may
   * resume the row. The worker renews it every third of that while the delivery runs (retries and
   * the waits between them included), so the hold can be short: a replica that dies (SIGKILL, lost
   * host) leaves its deliveries to the others within this time. 30 s by default.
   */
  leaseMs?: number;
  /** Called once per delivery that ended failed (metrics, the log). */
  onFailed?: (record: DeliveryRecord, message: PushMessage) => void;
  /**
   * Publishes a failed delivery's dead letter (the monitor's alerts.v1.dlq). The row waits for it
   * in the delivery log, so a throw, or a crash before it returns, leaves the letter to the next
   * resumeStale(): at least once, never lost.
   */
  deadLetter?: (record: DeliveryRecord, message: PushMessage) => Promise<void>;
  /** Called once per delivery that succeeded (metrics). */
  onDelivered?: (record: DeliveryRecord) => void;
  /**
   * Starts calling `beat` every `everyMs` and returns what stops it; the lease renewals run on it.
   * An unref'd setInterval by default; tests pass one they fire themselves, beside a clock of their own.
   */
  heartbeat?: (everyMs: number, beat: () => void) => () => void;
}

function intervalHeartbeat(everyMs: number, beat: () => void): () => void {
  const timer = setInterval(beat, everyMs);
  // Renewing is for deliveries in flight; it must not keep a stopping process alive by itself.
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Sends alerts and digests over the push channels, one delivery per (alert, channel), retried with
 * capped exponential backoff and jitter, every attempt written to the delivery log. Only a
 * retriable failure is tried again; a Retry-After from the receiver stretches the wait.
 */
export class AlertDispatcher {
  private readonly maxAttempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly parkAfterMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The rows this worker has claimed and is running, whose leases it renews. */
  private readonly held = new Map<string, DeliveryKey>();
  private stopRenewals?: () => void;
  private readonly stopping = new AbortController();

  constructor(private readonly options: AlertDispatcherOptions) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.parkAfterMs = options.parkAfterMs ?? 10_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 3_600_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    // Every delivery in flight listens for the stop; thousands at once are normal, not a leak.
    setMaxListeners(0, this.stopping.signal);
  }

  /** The pending rows an alert needs: one per push channel its subscription wants, for immediate delivery. */
  deliveriesFor(alerts: Alert[], subscriptions: ReadonlyMap<string, Subscription>): NewDelivery[] {
    const out: NewDelivery[] = [];
    for (const alert of alerts) {
      const sub = subscriptions.get(alert.subscriptionId);
      if (!sub || sub.delivery.mode !== 'immediate') continue;
      for (const channel of this.options.channels) {
        if (channel.wants(sub)) out.push({ alertId: alert.id, channel: channel.channel, kind: 'alert', subscriptionId: sub.id, ownerKeyId: sub.ownerKeyId });
      }
    }
    return out;
  }

  /**
   * Delivers alerts read from alerts.v1 (the log of alerts): writes the pending row of each push
   * channel its subscription wants (create-only, so a row that exists is kept with its attempts and
   * status), then runs every row to its end. A row already delivered or failed is not sent again
   * (a redelivered batch), and a row another worker holds is left to it (or, should it die, to the
   * resumeStale() of whichever replica claims it first once its lease runs out). Resolves when each
   * delivery ended, was parked or is held elsewhere: every one is then recorded in the log, so the
   * batch may be committed. Digest-mode subscriptions get nothing here: their digests carry them.
   */
  async deliverAlerts(alerts: Alert[]): Promise<DeliveryRecord[]> {
    const work = this.deliverNow(alerts);
    this.track(work);
    return work;
  }

  private async deliverNow(alerts: Alert[]): Promise<DeliveryRecord[]> {
    const subscriptions = new Map<string, Subscription>();
    for (const id of new Set(alerts.map((a) => a.subscriptionId))) {
      const sub = await this.options.subscriptions.findById(id);
      if (sub) subscriptions.set(id, sub);
    }
    const rows = this.deliveriesFor(alerts, subscriptions);
    if (rows.length === 0) return [];
    await this.options.log.enqueue(rows);
    const byAlert = new Map(alerts.map((a) => [a.id, a]));
    const results = await Promise.all(
      rows.map((row) => {
        const alert = byAlert.get(row.alertId)!;
        return this.run(row, { kind: 'alert', id: alert.id, alert });
      }),
    );
    return results.filter((r): r is DeliveryRecord => r !== null);
  }

  /** Runs the pending deliveries of each message (digests just recorded); resolves with the final rows this worker ran. */
  async runAll(batch: ReadonlyArray<{ message: PushMessage; deliveries: DeliveryKey[] }>): Promise<DeliveryRecord[]> {
    const results = await Promise.all(batch.flatMap(({ message, deliveries }) => deliveries.map((key) => this.run(key, message))));
    return results.filter((r): r is DeliveryRecord => r !== null);
  }

  /**
   * Runs one pending delivery to its end, or parks it; resolves with its row (or null when another
   * worker holds it).
   *
   * Parking is how a long retry keeps from holding a partition of alerts.v1: when the next wait
   * would go past `parkAfterMs`, the row stays pending with its lease set to run out at the due
   * time, and this worker lets it go. resumeStale(), which every replica runs on a timer, claims
   * pending rows whose lease ran out, so whichever replica looks first after the due time (the
   * claim is conditional: one of them wins) makes the next attempt, with the attempts so far
   * counted in the row. Until then the row is "recorded as pending", which is enough to commit.
   */
  async run(key: DeliveryKey, message: PushMessage, claimed = false): Promise<DeliveryRecord | null> {
    const { log } = this.options;
    if (this.stopping.signal.aborted) return null;
    const record = await log.get(key);
    if (!record || record.status !== 'pending' || (!claimed && !(await log.claim(key, this.leaseMs)))) return null;
    this.hold(key);
    let parkFor: number | null = null;
    try {
      parkFor = await this.runHeld(key, record, message);
    } finally {
      this.letGo(key);
    }
    // After letting go, so that no renewal of the held rows stretches the lease past the due time.
    if (parkFor !== null) await log.renew([key], parkFor);
    return log.get(key);
  }

  /** Attempts the delivery; resolves with how long to park it, or null when it ended (or was let go for a stop). */
  private async runHeld(key: DeliveryKey, record: DeliveryRecord, message: PushMessage): Promise<number | null> {
    const { log } = this.options;
    const sender = this.options.channels.find((c) => c.channel === key.channel);
    const subscription = await this.options.subscriptions.findById(record.subscriptionId);
    if (!sender || !subscription || !sender.wants(subscription)) {
      await log.markFailed(key, !subscription ? 'subscription deleted before delivery' : `channel ${key.channel} no longer configured`);
      return null;
    }
    const signal = this.stopping.signal;
    let waited = 0;
    for (;;) {
      const attempt = await log.startAttempt(key, this.maxAttempts);
      if (attempt === null) {
        // Spent or ended by another holder. A pending row is one whose last attempt's worker died
        // before it could say how the attempt went, or lost its lease and is still sending: ending
        // it here is safe either way, as markFailed ends a row once and markDelivered wins over it.
        const row = await log.get(key);
        if (row?.status === 'pending') await this.fail(key, message, `${row.lastError ?? 'no answer recorded'} (after ${row.attempts} attempts; the last one's outcome was lost with its worker)`);
        return null;
      }
      let failure: unknown;
      try {
        await sender.send(message, subscription, signal);
      } catch (error) {
        failure = error;
      }
      if (signal.aborted) {
        // Stopping: the row stays pending and free, so the next start (or a sibling replica) resumes
        // it at once. The attempt cut short stays counted: its request may have reached the receiver.
        await log.release(key);
        return null;
      }
      if (failure === undefined) {
        await log.markDelivered(key);
        this.options.onDelivered?.((await log.get(key))!);
        return null;
      }
      await log.recordError(key, describe(failure));
      const retriable = failure instanceof DeliveryError && failure.retriable;
      if (!retriable || attempt >= this.maxAttempts) {
        await this.fail(key, message, `${describe(failure)} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`);
        return null;
      }
      const wait = this.waitBefore(attempt + 1, failure as DeliveryError);
      if (waited + wait > this.parkAfterMs) return wait;
      waited += wait;
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        await log.release(key);
        return null;
      }
    }
  }

  /**
   * The wait before attempt `attempt` (2 or more): exponential from initialDelayMs, capped at
   * maxDelayMs, with jitter (a random half of it) so that deliveries failed together do not come
   * back together; a receiver's Retry-After, when longer, wins (up to maxRetryAfterMs).
   */
  private waitBefore(attempt: number, error: DeliveryError): number {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 2));
    const backoff = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    return Math.max(backoff, Math.min(error.retryAfterMs ?? 0, this.maxRetryAfterMs));
  }

  private async fail(key: DeliveryKey, message: PushMessage, reason: string): Promise<void> {
    const { log } = this.options;
    // Another holder ended the row first (see runHeld): its failure, if it was one, has its letter.
    if (!(await log.markFailed(key, reason, this.options.deadLetter ? this.leaseMs : undefined))) return;
    const failed = (await log.get(key))!;
    this.options.onFailed?.(failed, message);
    await this.sendDeadLetter(failed, message);
  }

  /** Publishes a dead letter this worker holds; on failure lets the row go to the next resumeStale(). */
  private async sendDeadLetter(record: DeliveryRecord, message: PushMessage): Promise<void> {
    if (!this.options.deadLetter) return;
    try {
      await this.options.deadLetter(record, message);
      await this.options.log.markDeadLettered(record);
    } catch {
      // Still marked in the log: released, it is tried again at the next resumeStale().
      await this.options.log.release(record);
    }
  }

  /** Resumes deliveries left pending by a crash or stop (call at start-up and now and then). */
  async resumeStale(limit = 100): Promise<number> {
    if (this.stopping.signal.aborted) return 0;
    if (this.options.deadLetter) {
      for (const row of await this.options.log.claimDeadLetters(limit, this.leaseMs)) {
        const message = await this.messageFor(row);
        if (!message) {
          await this.options.log.markDeadLettered(row); // nothing left to tell: the log keeps the failure
          continue;
        }
        this.hold(row);
        this.track(this.sendDeadLetter(row, message).finally(() => this.letGo(row)));
      }
    }
    const rows = await this.options.log.claimStale(limit, this.leaseMs);
    let resumed = 0;
    for (const row of rows) {
      const message = await this.messageFor(row);
      if (!message) {
        await this.options.log.markFailed(row, 'alert or digest no longer exists');
        continue;
      }
      resumed += 1;
      this.track(this.run(row, message, true));
    }
    await this.idle();
    return resumed;
  }

  /**
   * Graceful shutdown: abandons waits between attempts and attempts in progress, leaving their rows
   * pending and unleased for whoever starts next; resolves when every run has let go (or after `graceMs`).
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** Resolves when every delivery started so far has ended (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async messageFor(row: DeliveryRecord): Promise<PushMessage | null> {
    if (row.kind === 'digest') return (await this.options.digests?.messageFor(row.alertId)) ?? null;
    const entry = await this.options.ledger.getByAlertId(row.alertId);
    return entry ? { kind: 'alert', id: entry.alert.id, alert: entry.alert } : null;
  }

  private hold(key: DeliveryKey): void {
    this.held.set(`${key.alertId}\n${key.channel}`, key);
    if (this.stopRenewals) return;
    this.stopRenewals = (this.options.heartbeat ?? intervalHeartbeat)(Math.max(1, Math.floor(this.leaseMs / 3)), () => void this.renewLeases());
  }

  private letGo(key: DeliveryKey): void {
    this.held.delete(`${key.alertId}\n${key.channel}`);
    if (this.held.size > 0 || !this.stopRenewals) return;
    this.stopRenewals();
    this.stopRenewals = undefined;
  }

  private async renewLeases(): Promise<void> {
    try {
      await this.options.log.renew([...this.held.values()], this.leaseMs);
    } catch {
      // The store was locked or unreachable: the next renewal, well within the lease, tries again.
    }
  }

  private track(promise: Promise<unknown>): void {
    const p = promise.catch(() => undefined).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
