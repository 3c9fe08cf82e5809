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
 * Digests in the shared SQLite file, one row per id (which follows from subscription and period)
 * and UNIQUE per subscription and period start. INSERT OR IGNORE makes creating one create-only:
 * of replicas running the same schedule one makes it and the others get that one back.
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

  async lastCoveredSeq(subscriptionId: string): Promise<number> {
    const last = this.db.prepare('SELECT MAX(to_seq) AS seq FROM alert_digests WHERE subscription_id = ?').get(subscriptionId) as { seq: number | null };
    return last.seq ?? 0;
  }

  async create(period: DigestPeriod): Promise<{ isNew: boolean; period: DigestPeriod }> {
    const inserted = this.db
      .prepare(
        'INSERT OR IGNORE INTO alert_digests (id, subscription_id, mode, period_from, period_to, from_seq, to_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(period.id, period.subscriptionId, period.mode, period.from, period.to, period.fromSeq, period.toSeq, period.createdAt);
    if (inserted.changes === 1) return { isNew: true, period };
    const stored = this.byId(period.id) ?? this.byPeriod(period.subscriptionId, period.from);
    if (!stored) throw new Error(`digest ${period.id} was refused but is not stored`);
    return { isNew: false, period: stored };
  }

  async get(id: string): Promise<DigestPeriod | null> {
    return this.byId(id);
  }

  private byId(id: string): DigestPeriod | null {
    return fromRow(this.db.prepare('SELECT * FROM alert_digests WHERE id = ?').get(id) as Row | undefined);
  }

  private byPeriod(subscriptionId: string, from: string): DigestPeriod | null {
    return fromRow(this.db.prepare('SELECT * FROM alert_digests WHERE subscription_id = ? AND period_from = ?').get(subscriptionId, from) as Row | undefined);
  }
}

function fromRow(row: Row | undefined): DigestPeriod | null {
  return row
    ? { id: row.id, subscriptionId: row.subscription_id, mode: row.mode, from: row.period_from, to: row.period_to, fromSeq: row.from_seq, toSeq: row.to_seq, createdAt: row.created_at }
    : null;
}
