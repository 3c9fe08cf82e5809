import type Database from 'better-sqlite3';
import { DigestPeriod, DigestPeriodStore } from '@monitor/alerts';

interface Row {
  id: string;
  subscription_id: string;
  mode: DigestPeriod['mode'];
  period_from: string;
  period_to: string;
  from_seq: number;
  to_seq: number;
  created_at: string;
}

/**
 * Digests in the shared SQLite file, UNIQUE per subscription and period start. A digest is
 * recorded under the write lock taken up front (BEGIN IMMEDIATE), so of replicas running the same
 * schedule one makes it and the others find it made.
 */
export class SqliteDigestPeriods implements DigestPeriodStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alert_digests (
        id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, mode TEXT NOT NULL,
        period_from TEXT NOT NULL, period_to TEXT NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL, UNIQUE (subscription_id, period_from));
    `);
  }

  record(subscriptionId: string, periodFrom: string, compose: (afterSeq: number) => DigestPeriod | null): DigestPeriod | null {
    const db = this.db;
    return db
      .transaction(() => {
        if (db.prepare('SELECT 1 FROM alert_digests WHERE subscription_id = ? AND period_from = ?').get(subscriptionId, periodFrom)) return null;
        const last = db.prepare('SELECT MAX(to_seq) AS seq FROM alert_digests WHERE subscription_id = ?').get(subscriptionId) as { seq: number | null };
        const period = compose(last.seq ?? 0);
        if (!period) return null;
        db.prepare(
          'INSERT INTO alert_digests (id, subscription_id, mode, period_from, period_to, from_seq, to_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(period.id, period.subscriptionId, period.mode, period.from, period.to, period.fromSeq, period.toSeq, period.createdAt);
        return period;
      })
      .immediate();
  }

  get(id: string): DigestPeriod | null {
    const row = this.db.prepare('SELECT * FROM alert_digests WHERE id = ?').get(id) as Row | undefined;
    return row
      ? { id: row.id, subscriptionId: row.subscription_id, mode: row.mode, from: row.period_from, to: row.period_to, fromSeq: row.from_seq, toSeq: row.to_seq, createdAt: row.created_at }
      : null;
  }
}
