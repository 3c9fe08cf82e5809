import type Database from 'better-sqlite3';
import { Subscription, SubscriptionChange, SubscriptionNotFoundError, SubscriptionStore, newSubscription, patchedSubscription, specOf } from '@monitor/alerts';

interface Row {
  id: string;
  owner_key_id: string;
  spec: string;
  created_at: string;
  updated_at: string;
}

/** Subscriptions in the shared SQLite file; the spec is one JSON column, validated on the way in. */
export class SqliteSubscriptionStore implements SubscriptionStore {
  private readonly listeners = new Set<(change: SubscriptionChange) => void>();
  private byIdStatement?: Database.Statement;
  private revisionStatement?: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS subscriptions (
        id TEXT PRIMARY KEY, owner_key_id TEXT NOT NULL, spec TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS subscriptions_owner ON subscriptions (owner_key_id, created_at);
      CREATE TABLE IF NOT EXISTS subscriptions_revision (one INTEGER PRIMARY KEY CHECK (one = 1), revision INTEGER NOT NULL);
      INSERT OR IGNORE INTO subscriptions_revision (one, revision) VALUES (1, 0);
    `);
  }

  async create(ownerKeyId: string, input: unknown): Promise<Subscription> {
    const subscription = newSubscription(ownerKeyId, input, this.now().toISOString());
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO subscriptions (id, owner_key_id, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(subscription.id, ownerKeyId, JSON.stringify(specOf(subscription)), subscription.createdAt, subscription.updatedAt);
      this.bump();
    })();
    this.emit({ type: 'upsert', subscription });
    return subscription;
  }

  async get(ownerKeyId: string, id: string): Promise<Subscription> {
    return this.owned(ownerKeyId, id);
  }

  async listByOwner(ownerKeyId: string): Promise<Subscription[]> {
    const rows = this.db.prepare('SELECT * FROM subscriptions WHERE owner_key_id = ? ORDER BY created_at, id').all(ownerKeyId) as Row[];
    return rows.map(fromRow);
  }

  async update(ownerKeyId: string, id: string, patch: unknown): Promise<Subscription> {
    const updated = patchedSubscription(this.owned(ownerKeyId, id), patch, this.now().toISOString());
    this.db.transaction(() => {
      this.db.prepare('UPDATE subscriptions SET spec = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(specOf(updated)), updated.updatedAt, id);
      this.bump();
    })();
    this.emit({ type: 'upsert', subscription: updated });
    return updated;
  }

  async delete(ownerKeyId: string, id: string): Promise<void> {
    const current = this.owned(ownerKeyId, id);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id);
      this.bump();
    })();
    this.emit({ type: 'delete', subscription: current });
  }

  async all(): Promise<Subscription[]> {
    return (this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all() as Row[]).map(fromRow);
  }

  async findById(id: string): Promise<Subscription | null> {
    return this.byId(id);
  }

  async revision(): Promise<number> {
    // Read for every batch the alerter handles and every delivery: prepared once.
    this.revisionStatement ??= this.db.prepare('SELECT revision FROM subscriptions_revision WHERE one = 1');
    return (this.revisionStatement.get() as { revision: number }).revision;
  }

  onChange(listener: (change: SubscriptionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Synchronous, so that an update reads and writes with nothing in between: no lost update.
  private owned(ownerKeyId: string, id: string): Subscription {
    const found = this.byId(id);
    if (!found || found.ownerKeyId !== ownerKeyId) throw new SubscriptionNotFoundError(id);
    return found;
  }

  private byId(id: string): Subscription | null {
    this.byIdStatement ??= this.db.prepare('SELECT * FROM subscriptions WHERE id = ?');
    const row = this.byIdStatement.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  private bump(): void {
    this.db.prepare('UPDATE subscriptions_revision SET revision = revision + 1 WHERE one = 1').run();
  }

  private emit(change: SubscriptionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function fromRow(row: Row): Subscription {
  return { id: row.id, ownerKeyId: row.owner_key_id, ...JSON.parse(row.spec), createdAt: row.created_at, updatedAt: row.updated_at };
}
