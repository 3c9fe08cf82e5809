import type { Database } from 'better-sqlite3';
import { emptyHealth, type ConditionalState, type SeenEntry, type SourceHealth, type SourceStateStore } from '@monitor/feeds';

/**
 * The poller's state in SQLite (the embedded data file): health per source, ETag/Last-Modified
 * per URL, and the seen article ids. Tables are prefixed `feeds_` so they can share a database.
 */
export class SqliteSourceStateStore implements SourceStateStore {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS feeds_source_health (source_id TEXT PRIMARY KEY, health TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS feeds_url_state (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS feeds_seen (article_id TEXT PRIMARY KEY, source_id TEXT NOT NULL, url TEXT NOT NULL, seen_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS feeds_seen_by_source ON feeds_seen (source_id, seen_at);
    `);
  }

  async getHealth(sourceId: string): Promise<SourceHealth> {
    const row = this.db.prepare('SELECT health FROM feeds_source_health WHERE source_id = ?').get(sourceId) as { health: string } | undefined;
    return row ? { ...emptyHealth(sourceId), ...(JSON.parse(row.health) as Partial<SourceHealth>), sourceId } : emptyHealth(sourceId);
  }

  async saveHealth(health: SourceHealth): Promise<void> {
    this.db
      .prepare('INSERT INTO feeds_source_health (source_id, health) VALUES (?, ?) ON CONFLICT(source_id) DO UPDATE SET health = excluded.health')
      .run(health.sourceId, JSON.stringify(health));
  }

  async getConditional(url: string): Promise<ConditionalState> {
    const row = this.db.prepare('SELECT etag, last_modified FROM feeds_url_state WHERE url = ?').get(url) as { etag: string | null; last_modified: string | null } | undefined;
    return row ? { etag: row.etag, lastModified: row.last_modified } : {};
  }

  async saveConditional(url: string, state: ConditionalState): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feeds_url_state (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at`,
      )
      .run(url, state.etag ?? null, state.lastModified ?? null, new Date().toISOString());
  }

  async filterUnseen(ids: string[]): Promise<string[]> {
    const exists = this.db.prepare('SELECT 1 FROM feeds_seen WHERE article_id = ?');
    return ids.filter((id) => !exists.get(id));
  }

  async markSeen(entries: SeenEntry[], at: Date): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO feeds_seen (article_id, source_id, url, seen_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const entry of entries) insert.run(entry.articleId, entry.sourceId, entry.url, at.getTime());
    })();
  }

  async countSeenSince(sourceId: string, since: Date): Promise<number> {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM feeds_seen WHERE source_id = ? AND seen_at >= ?').get(sourceId, since.getTime()) as { n: number };
    return row.n;
  }
}
