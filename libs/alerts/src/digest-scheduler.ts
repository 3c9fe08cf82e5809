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

  /** Records the digests whose period has ended, each with its pending deliveries; call it every few minutes. */
  due(): DueDigest[] {
    const now = this.now().getTime();
    const made: DueDigest[] = [];
    for (const sub of this.options.subscriptions.all()) {
      if (sub.delivery.mode === 'immediate') continue;
      const channels = this.options.channels.filter((c) => c.wants(sub));
      if (channels.length === 0) continue;
      const digest = this.makeDigest(sub, sub.delivery.mode, now, channels);
      if (digest) made.push(digest);
    }
    return made;
  }

  /** Rebuilds a digest's message (to resume a delivery after a crash). */
  messageFor(digestId: string): PushMessage | null {
    const period = this.options.periods.get(digestId);
    return period ? this.message(period) : null;
  }

  private makeDigest(sub: Subscription, mode: 'hourly' | 'daily', now: number, channels: PushChannelSender[]): DueDigest | null {
    const periodEnd = Math.floor(now / PERIOD_MS[mode]) * PERIOD_MS[mode];
    const from = new Date(periodEnd - PERIOD_MS[mode]).toISOString();
    const to = new Date(periodEnd).toISOString();
    const id = 'dg' + createHash('sha256').update(`${sub.id}\n${from}`).digest('hex').slice(0, 30);
    const deliveries: NewDelivery[] = channels.map((c) => ({ alertId: id, channel: c.channel, kind: 'digest', subscriptionId: sub.id, ownerKeyId: sub.ownerKeyId }));
    const period = this.options.periods.record(sub.id, from, (afterSeq) => {
      const pending = this.options.ledger.forSubscription(sub.id, afterSeq, 10_000).filter((e) => e.alert.createdAt < to);
      if (pending.length === 0) return null;
      this.options.log.enqueue(deliveries);
      return { id, subscriptionId: sub.id, mode, from, to, fromSeq: afterSeq, toSeq: pending.at(-1)!.seq, createdAt: new Date(now).toISOString() };
    });
    return period ? { message: this.message(period), deliveries } : null;
  }

  private message(period: DigestPeriod): PushMessage {
    const alerts = this.options.ledger
      .forSubscription(period.subscriptionId, period.fromSeq, 10_000)
      .filter((e) => e.seq <= period.toSeq)
      .map((e) => e.alert);
    return { kind: 'digest', id: period.id, period: { mode: period.mode, from: period.from, to: period.to }, alerts };
  }
}
