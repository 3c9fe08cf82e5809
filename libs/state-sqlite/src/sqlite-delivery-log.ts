import type Database from 'better-sqlite3';
import { DeliveryKey, DeliveryLog, DeliveryQuery, DeliveryRecord, NewDelivery } from '@monitor/alerts';

interface Row {
  alert_id: string;
  channel: DeliveryRecord['channel'];
  kind: DeliveryRecord['kind'];
  subscription_id: string;
  owner_key_id: string;
  status: DeliveryRecord['status'];
  attempts: number;
  last_error: string | null;
  dead_letter: number;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** The `deliveries` table in the shared SQLite file. */
export class SqliteDeliveryLog implements DeliveryLog {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS deliveries (
        alert_id TEXT NOT NULL, channel TEXT NOT NULL, kind TEXT NOT NULL,
        subscription_id TEXT NOT NULL, owner_key_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, dead_letter INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, delivered_at TEXT,
        PRIMARY KEY (alert_id, channel));
      CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries (status, lease_until);
      CREATE INDEX IF NOT EXISTS deliveries_owner ON deliveries (owner_key_id, created_at);
    `);
    // Files written before dead letters had an outbox lack the column; their failed rows were published already.
    const columns = db.prepare('PRAGMA table_info(deliveries)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'dead_letter')) db.exec('ALTER TABLE deliveries ADD COLUMN dead_letter INTEGER NOT NULL DEFAULT 0');
    db.exec('CREATE INDEX IF NOT EXISTS deliveries_dead_letters ON deliveries (lease_until) WHERE dead_letter = 1');
  }

  async enqueue(deliveries: NewDelivery[]): Promise<NewDelivery[]> {
    const at = this.now().toISOString();
    const insert = this.statement(`
      INSERT OR IGNORE INTO deliveries (alert_id, channel, kind, subscription_id, owner_key_id, status, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`);
    return this.db.transaction(() => deliveries.filter((d) => insert.run(d.alertId, d.channel, d.kind, d.subscriptionId, d.ownerKeyId, at, at).changes === 1))();
  }

  async claim(key: DeliveryKey, leaseMs: number): Promise<boolean> {
    const now = this.now().getTime();
    const result = this.statement(`UPDATE deliveries SET lease_until = ? WHERE alert_id = ? AND channel = ? AND status = 'pending' AND lease_until <= ?`)
      .run(now + leaseMs, key.alertId, key.channel, now);
    return result.changes === 1;
  }

  async claimStale(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    const now = this.now().getTime();
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT * FROM deliveries WHERE status = 'pending' AND lease_until <= ? ORDER BY created_at LIMIT ?`)
          .all(now, limit) as Row[];
        const take = this.statement('UPDATE deliveries SET lease_until = ? WHERE alert_id = ? AND channel = ?');
        for (const row of rows) take.run(now + leaseMs, row.alert_id, row.channel);
        return rows.map(fromRow);
      })
      .immediate();
  }

  async renew(keys: DeliveryKey[], leaseMs: number): Promise<void> {
    const now = this.now().getTime();
    const extend = this.statement(
      `UPDATE deliveries SET lease_until = ? WHERE alert_id = ? AND channel = ? AND (status = 'pending' OR dead_letter = 1) AND lease_until > ?`,
    );
    this.db.transaction(() => {
      for (const key of keys) extend.run(now + leaseMs, key.alertId, key.channel, now);
    })();
  }

  async startAttempt(key: DeliveryKey, maxAttempts: number): Promise<number | null> {
    const counted = this.statement(
      `UPDATE deliveries SET attempts = attempts + 1, updated_at = ? WHERE alert_id = ? AND channel = ? AND status = 'pending' AND attempts < ? RETURNING attempts`,
    ).get(this.now().toISOString(), key.alertId, key.channel, maxAttempts) as { attempts: number } | undefined;
    return counted?.attempts ?? null;
  }

  async recordError(key: DeliveryKey, error: string): Promise<void> {
    this.statement(`UPDATE deliveries SET last_error = ?, updated_at = ? WHERE alert_id = ? AND channel = ? AND status = 'pending'`).run(
      error,
      this.now().toISOString(),
      key.alertId,
      key.channel,
    );
  }

  async release(key: DeliveryKey): Promise<void> {
    this.statement(`UPDATE deliveries SET lease_until = 0 WHERE alert_id = ? AND channel = ? AND (status = 'pending' OR dead_letter = 1)`).run(
      key.alertId,
      key.channel,
    );
  }

  async markDelivered(key: DeliveryKey): Promise<void> {
    const at = this.now().toISOString();
    this.statement(`UPDATE deliveries SET status = 'delivered', delivered_at = ?, updated_at = ?, lease_until = 0 WHERE alert_id = ? AND channel = ?`)
      .run(at, at, key.alertId, key.channel);
  }

  async markFailed(key: DeliveryKey, reason: string, deadLetterLeaseMs?: number): Promise<boolean> {
    const now = this.now();
    const deadLetter = deadLetterLeaseMs === undefined ? 0 : 1;
    const lease = deadLetterLeaseMs === undefined ? 0 : now.getTime() + deadLetterLeaseMs;
    const ended = this.statement(
      `UPDATE deliveries SET status = 'failed', last_error = ?, updated_at = ?, dead_letter = ?, lease_until = ? WHERE alert_id = ? AND channel = ? AND status = 'pending'`,
    ).run(reason, now.toISOString(), deadLetter, lease, key.alertId, key.channel);
    return ended.changes === 1;
  }

  async claimDeadLetters(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    const now = this.now().getTime();
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT * FROM deliveries WHERE status = 'failed' AND dead_letter = 1 AND lease_until <= ? ORDER BY updated_at LIMIT ?`)
          .all(now, limit) as Row[];
        const take = this.statement('UPDATE deliveries SET lease_until = ? WHERE alert_id = ? AND channel = ?');
        for (const row of rows) take.run(now + leaseMs, row.alert_id, row.channel);
        return rows.map(fromRow);
      })
      .immediate();
  }

  async markDeadLettered(key: DeliveryKey): Promise<void> {
    this.statement('UPDATE deliveries SET dead_letter = 0, lease_until = 0 WHERE alert_id = ? AND channel = ?').run(key.alertId, key.channel);
  }

  async get(key: DeliveryKey): Promise<DeliveryRecord | null> {
    const row = this.statement('SELECT * FROM deliveries WHERE alert_id = ? AND channel = ?').get(key.alertId, key.channel) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async list(query: DeliveryQuery): Promise<DeliveryRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const filters: Array<[string, unknown]> = [
      ['owner_key_id', query.ownerKeyId],
      ['subscription_id', query.subscriptionId],
      ['status', query.status],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const sql = `SELECT * FROM deliveries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, alert_id LIMIT ?`;
    return (this.statement(sql).all(...params, Math.min(query.limit ?? 100, 1000)) as Row[]).map(fromRow);
  }

  // Deliveries run by the thousand; preparing each statement once saves most of their cost.
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

function fromRow(r: Row): DeliveryRecord {
  return {
    alertId: r.alert_id, channel: r.channel, kind: r.kind, subscriptionId: r.subscription_id, ownerKeyId: r.owner_key_id,
    status: r.status, attempts: r.attempts, lastError: r.last_error, deadLetterPending: r.dead_letter === 1, createdAt: r.created_at, updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}
