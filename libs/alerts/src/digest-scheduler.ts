import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { AlertDispatcher } from './alert-dispatcher';
import { AlertLedger } from './alert-ledger.port';
import { DeliveryLog, DeliveryRecord, NewDelivery } from './delivery-log.port';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';
import { SubscriptionStore } from './subscription.port';

export interface DigestSchedulerOptions {
  db: Database.Database;
  ledger: AlertLedger;
  subscriptions: Pick<SubscriptionStore, 'all'>;
  log: DeliveryLog;
  dispatcher: AlertDispatcher;
  channels: PushChannelSender[];
  now?: () => Date;
}

interface DigestRow {
  id: string;
  subscription_id: string;
  mode: 'hourly' | 'daily';
  period_from: string;
  period_to: string;
  from_seq: number;
  to_seq: number;
}

const PERIOD_MS = { hourly: 3_600_000, daily: 86_400_000 } as const;

/**
 * Hourly and daily digests: once a period has ended, one message per subscription and channel
 * listing every alert recorded since its previous digest (by ledger seq, so an alert that arrives
 * late still goes into the next digest and none goes into two). A digest row is unique per
 * subscription and period, so replicas running the same schedule make one digest; its deliveries
 * go through the same log, retries and failure reporting as single alerts.
 */
export class DigestScheduler {
  private readonly now: () => Date;

  constructor(private readonly options: DigestSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    options.db.exec(`
      CREATE TABLE IF NOT EXISTS alert_digests (
        id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, mode TEXT NOT NULL,
        period_from TEXT NOT NULL, period_to TEXT NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL, UNIQUE (subscription_id, period_from));
    `);
  }

  /** Makes and sends the digests whose period has ended; call it every few minutes. Resolves with the final delivery rows. */
  async runDue(): Promise<DeliveryRecord[]> {
    const now = this.now().getTime();
    const started: Array<{ message: PushMessage; deliveries: NewDelivery[] }> = [];
    for (const sub of this.options.subscriptions.all()) {
      if (sub.delivery.mode === 'immediate') continue;
      const channels = this.options.channels.filter((c) => c.wants(sub));
      if (channels.length === 0) continue;
      const made = this.makeDigest(sub, sub.delivery.mode, now, channels);
      if (made) started.push(made);
    }
    const results = await Promise.all(
      started.flatMap(({ message, deliveries }) => deliveries.map((d) => this.options.dispatcher.run(d, message))),
    );
    return results.filter((r): r is DeliveryRecord => r !== null);
  }

  /** Rebuilds a digest's message (to resume a delivery after a crash). */
  messageFor(digestId: string): PushMessage | null {
    const row = this.options.db.prepare('SELECT * FROM alert_digests WHERE id = ?').get(digestId) as DigestRow | undefined;
    return row ? this.message(row) : null;
  }

  private makeDigest(sub: Subscription, mode: 'hourly' | 'daily', now: number, channels: PushChannelSender[]) {
    const periodEnd = Math.floor(now / PERIOD_MS[mode]) * PERIOD_MS[mode];
    const periodFrom = new Date(periodEnd - PERIOD_MS[mode]).toISOString();
    const periodTo = new Date(periodEnd).toISOString();
    const db = this.options.db;
    return db
      .transaction(() => {
        if (db.prepare('SELECT 1 FROM alert_digests WHERE subscription_id = ? AND period_from = ?').get(sub.id, periodFrom)) return null;
        const last = db.prepare('SELECT MAX(to_seq) AS seq FROM alert_digests WHERE subscription_id = ?').get(sub.id) as { seq: number | null };
        const fromSeq = last.seq ?? 0;
        const pending = this.options.ledger.forSubscription(sub.id, fromSeq, 10_000).filter((e) => e.alert.createdAt < periodTo);
        if (pending.length === 0) return null;
        const id = 'dg' + createHash('sha256').update(`${sub.id}\n${periodFrom}`).digest('hex').slice(0, 30);
        const row: DigestRow = { id, subscription_id: sub.id, mode, period_from: periodFrom, period_to: periodTo, from_seq: fromSeq, to_seq: pending.at(-1)!.seq };
        db.prepare(
          'INSERT INTO alert_digests (id, subscription_id, mode, period_from, period_to, from_seq, to_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(id, sub.id, mode, periodFrom, periodTo, row.from_seq, row.to_seq, new Date(now).toISOString());
        const deliveries: NewDelivery[] = channels.map((c) => ({ alertId: id, channel: c.channel, kind: 'digest', subscriptionId: sub.id, ownerKeyId: sub.ownerKeyId }));
        this.options.log.enqueue(deliveries);
        return { message: this.message(row), deliveries };
      })
      .immediate();
  }

  private message(row: DigestRow): PushMessage {
    const alerts = this.options.ledger
      .forSubscription(row.subscription_id, row.from_seq, 10_000)
      .filter((e) => e.seq <= row.to_seq)
      .map((e) => e.alert);
    return { kind: 'digest', id: row.id, period: { mode: row.mode, from: row.period_from, to: row.period_to }, alerts };
  }
}
