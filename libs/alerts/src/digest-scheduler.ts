import { createHash } from 'node:crypto';
import { AlertLedger } from './alert-ledger.port';
import { DeliveryLog, NewDelivery } from './delivery-log.port';
import { DigestPeriod, DigestPeriodStore } from './digest-period.port';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';
import { SubscriptionStore } from './subscription.port';

export interface DigestSchedulerOptions {
  periods: DigestPeriodStore;
  ledger: AlertLedger;
  subscriptions: Pick<SubscriptionStore, 'all'>;
  log: DeliveryLog;
  channels: PushChannelSender[];
  now?: () => Date;
}

/** A digest just recorded, with its pending deliveries (one per channel), for the dispatcher to run. */
export interface DueDigest {
  message: PushMessage;
  deliveries: NewDelivery[];
}

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

/** A digest's id follows from its subscription and period start, so every replica names it alike. */
export function digestIdFor(subscriptionId: string, periodFrom: string): string {
  return 'dg' + createHash('sha256').update(`${subscriptionId}\n${periodFrom}`).digest('hex').slice(0, 30);
}

/**
 * Hourly and daily digests: once a period has ended, one message per subscription and channel
 * listing every alert recorded since its previous digest (by ledger seq, so an alert that arrives
 * late still goes into the next digest and none goes into two). A digest is unique per
 * subscription and period, so replicas running the same schedule make one digest; its deliveries
 * go through the same log, retries and failure reporting as single alerts. The scheduler only
 * writes them; sending is the dispatcher's, which also asks messageFor() to resume one.
 */
export class DigestScheduler {
  private readonly now: () => Date;

  constructor(private readonly options: DigestSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records the digests whose period has ended, each with its pending deliveries; call it every few
   * minutes. A digest comes back only with the rows this call added: the one that made it, or the
   * one that found it without them (a crash between the two writes), never two replicas for one row.
   */
  async due(): Promise<DueDigest[]> {
    const now = this.now().getTime();
    const made: DueDigest[] = [];
    for (const sub of await this.options.subscriptions.all()) {
      if (sub.delivery.mode === 'immediate') continue;
      const channels = this.options.channels.filter((c) => c.wants(sub));
      if (channels.length === 0) continue;
      const digest = await this.makeDigest(sub, sub.delivery.mode, now, channels);
      if (digest) made.push(digest);
    }
    return made;
  }

  /** Rebuilds a digest's message (to resume a delivery after a crash). */
  async messageFor(digestId: string): Promise<PushMessage | null> {
    const period = await this.options.periods.get(digestId);
    return period ? this.message(period) : null;
  }

  private async makeDigest(sub: Subscription, mode: 'hourly' | 'daily', now: number, channels: PushChannelSender[]): Promise<DueDigest | null> {
    const periodEnd = Math.floor(now / PERIOD_MS[mode]) * PERIOD_MS[mode];
    const from = new Date(periodEnd - PERIOD_MS[mode]).toISOString();
    const to = new Date(periodEnd).toISOString();
    const id = digestIdFor(sub.id, from);
    const period = (await this.options.periods.get(id)) ?? (await this.compose(sub, mode, id, from, to, now));
    if (!period) return null;
    // Enqueued by every replica that sees the digest, not only its maker: rows are create-only under
    // ids derived from the digest id, so this adds nothing when they exist and repairs a crash when not.
    const rows = channels.map((c): NewDelivery => ({ alertId: id, channel: c.channel, kind: 'digest', subscriptionId: sub.id, ownerKeyId: sub.ownerKeyId }));
    const deliveries = await this.options.log.enqueue(rows);
    return deliveries.length ? { message: await this.message(period), deliveries } : null;
  }

  /** Records the digest of a period that has none yet; null when no alert falls in it. */
  private async compose(sub: Subscription, mode: DigestPeriod['mode'], id: string, from: string, to: string, now: number): Promise<DigestPeriod | null> {
    const afterSeq = await this.options.periods.lastCoveredSeq(sub.id);
    const pending = (await this.options.ledger.forSubscription(sub.id, afterSeq, 10_000)).filter((e) => e.alert.createdAt < to);
    if (pending.length === 0) return null;
    const composed = { id, subscriptionId: sub.id, mode, from, to, fromSeq: afterSeq, toSeq: pending.at(-1)!.seq, createdAt: new Date(now).toISOString() };
    // Of replicas racing for this period one creates it; the others get that one back, whose range wins.
    return (await this.options.periods.create(composed)).period;
  }

  private async message(period: DigestPeriod): Promise<PushMessage> {
    const alerts = (await this.options.ledger.forSubscription(period.subscriptionId, period.fromSeq, 10_000))
      .filter((e) => e.seq <= period.toSeq)
      .map((e) => e.alert);
    return { kind: 'digest', id: period.id, period: { mode: period.mode, from: period.from, to: period.to }, alerts };
  }
}
