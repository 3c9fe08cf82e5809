import { ExponentialBackoff, IBackoff, IBackoffFactory, IRetryBackoffContext, TaskCancelledError, handleWhen, retry } from 'cockatiel';
import { setMaxListeners } from 'node:events';
import { DeliveryError } from './alert-errors';
import { AlertLedger, LedgerEntry } from './alert-ledger.port';
import { DeliveryKey, DeliveryLog, DeliveryRecord, NewDelivery } from './delivery-log.port';
import { PushChannelSender, PushMessage } from './push-channel';
import type { AlertDeliverer } from './alert-service';
import { Subscription } from './subscription';

export interface DigestMessages {
  messageFor(digestId: string): Promise<PushMessage | null>;
}

/** A pending row this worker just wrote, with the message it sends. */
export interface OutboxDelivery {
  row: NewDelivery;
  message: PushMessage;
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
 * capped exponential backoff and jitter (cockatiel's decorrelated jitter), every attempt written to
 * the delivery log. A Retry-After from the receiver stretches the wait (within the cap).
 */
export class AlertDispatcher implements AlertDeliverer<OutboxDelivery[]> {
  private readonly maxAttempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
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
    this.leaseMs = options.leaseMs ?? 30_000;
    // Every delivery in flight listens for the stop; thousands at once are normal, not a leak.
    setMaxListeners(0, this.stopping.signal);
  }

  /** The pending rows an alert needs: one per push channel its subscription wants, for immediate delivery. */
  deliveriesFor(entries: LedgerEntry[], subscriptions: ReadonlyMap<string, Subscription>): NewDelivery[] {
    const out: NewDelivery[] = [];
    for (const { alert } of entries) {
      const sub = subscriptions.get(alert.subscriptionId);
      if (!sub || sub.delivery.mode !== 'immediate') continue;
      for (const channel of this.options.channels) {
        if (channel.wants(sub)) out.push({ alertId: alert.id, channel: channel.channel, kind: 'alert', subscriptionId: sub.id, ownerKeyId: sub.ownerKeyId });
      }
    }
    return out;
  }

  /**
   * Writes the pending rows of these alerts; only the rows this call added (not those written
   * before, by another replica or an earlier attempt) are handed to deliver() to start.
   */
  async outbox(entries: LedgerEntry[], subscriptions: ReadonlyMap<string, Subscription>): Promise<OutboxDelivery[]> {
    const rows = this.deliveriesFor(entries, subscriptions);
    if (rows.length === 0) return [];
    const added = await this.options.log.enqueue(rows);
    const byAlert = new Map(entries.map((e) => [e.alert.id, e.alert]));
    return added.map((row) => {
      const alert = byAlert.get(row.alertId)!;
      return { row, message: { kind: 'alert', id: alert.id, alert } };
    });
  }

  deliver(_fresh: LedgerEntry[], added: OutboxDelivery[] = []): void {
    for (const { row, message } of added) this.track(this.run(row, message));
  }

  /** Runs the pending deliveries of each message (digests just recorded); resolves with the final rows this worker ran. */
  async runAll(batch: ReadonlyArray<{ message: PushMessage; deliveries: DeliveryKey[] }>): Promise<DeliveryRecord[]> {
    const results = await Promise.all(batch.flatMap(({ message, deliveries }) => deliveries.map((key) => this.run(key, message))));
    return results.filter((r): r is DeliveryRecord => r !== null);
  }

  /** Runs one pending delivery to its end; resolves with the final row (or null when another worker holds it). */
  async run(key: DeliveryKey, message: PushMessage, claimed = false): Promise<DeliveryRecord | null> {
    const { log } = this.options;
    if (this.stopping.signal.aborted) return null;
    const record = await log.get(key);
    if (!record || record.status !== 'pending' || (!claimed && !(await log.claim(key, this.leaseMs)))) return null;
    this.hold(key);
    try {
      return await this.runHeld(key, record, message);
    } finally {
      this.letGo(key);
    }
  }

  private async runHeld(key: DeliveryKey, record: DeliveryRecord, message: PushMessage): Promise<DeliveryRecord | null> {
    const { log } = this.options;
    const sender = this.options.channels.find((c) => c.channel === key.channel);
    const subscription = await this.options.subscriptions.findById(record.subscriptionId);
    if (!sender || !subscription || !sender.wants(subscription)) {
      await log.markFailed(key, !subscription ? 'subscription deleted before delivery' : `channel ${key.channel} no longer configured`);
      return log.get(key);
    }
    const remaining = Math.max(1, this.maxAttempts - record.attempts);
    const policy = retry(
      handleWhen((e) => e instanceof DeliveryError && e.retriable),
      { maxAttempts: remaining - 1, backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: this.initialDelayMs, maxDelay: this.maxDelayMs }), this.maxDelayMs) },
    );
    try {
      await policy.execute(async ({ signal }) => {
        try {
          await sender.send(message, subscription, signal);
          await log.recordAttempt(key, null);
        } catch (error) {
          if (signal.aborted) throw new TaskCancelledError();
          await log.recordAttempt(key, describe(error));
          throw error;
        }
      }, this.stopping.signal);
      await log.markDelivered(key);
      this.options.onDelivered?.((await log.get(key))!);
    } catch (error) {
      if (error instanceof TaskCancelledError || this.stopping.signal.aborted) {
        // Stopping: the row stays pending and free, so the next start (or a sibling replica) resumes it at once.
        await log.release(key);
        return log.get(key);
      }
      const attempts = (await log.get(key))?.attempts ?? 0;
      await log.markFailed(key, `${describe(error)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, this.options.deadLetter ? this.leaseMs : undefined);
      const failed = (await log.get(key))!;
      this.options.onFailed?.(failed, message);
      await this.sendDeadLetter(failed, message);
    }
    return log.get(key);
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

// Wraps an exponential backoff so that a receiver's Retry-After is honoured, never beyond the cap.
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly inner: IBackoffFactory<unknown>,
    private readonly maxDelayMs: number,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const base = this.inner.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const hint = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const duration = hint === undefined ? base.duration : Math.min(this.maxDelayMs, Math.max(base.duration, hint));
    return { duration, next: (c) => new RetryAfterBackoff(base, this.maxDelayMs).next(c) };
  }
}
