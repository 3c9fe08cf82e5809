import type { Database } from 'better-sqlite3';
import type { ConditionalState } from './feed-fetcher';
import { emptyHealth, type SourceHealth } from './source-health';

export interface SeenEntry {
  articleId: string;
  sourceId: string;
  url: string;
}

/** What the poller keeps between polls and across restarts. */
export interface SourceStateStore {
  getHealth(sourceId: string): SourceHealth;
  saveHealth(health: SourceHealth): void;
  getConditional(url: string): ConditionalState;
  saveConditional(url: string, state: ConditionalState): void;
  /** The ids among `ids` not seen before. */
  filterUnseen(ids: string[]): string[];
  markSeen(entries: SeenEntry[], at: Date): void;
  countSeenSince(sourceId: string, since: Date): number;
}

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

  getHealth(sourceId: string): SourceHealth {
    const row = this.db.prepare('SELECT health FROM feeds_source_health WHERE source_id = ?').get(sourceId) as { health: string } | undefined;
    return row ? { ...emptyHealth(sourceId), ...(JSON.parse(row.health) as Partial<SourceHealth>), sourceId } : emptyHealth(sourceId);
  }

  saveHealth(health: SourceHealth): void {
    this.db
      .prepare('INSERT INTO feeds_source_health (source_id, health) VALUES (?, ?) ON CONFLICT(source_id) DO UPDATE SET health = excluded.health')
      .run(health.sourceId, JSON.stringify(health));
  }

  getConditional(url: string): ConditionalState {
    const row = this.db.prepare('SELECT etag, last_modified FROM feeds_url_state WHERE url = ?').get(url) as { etag: string | null; last_modified: string | null } | undefined;
    return row ? { etag: row.etag, lastModified: row.last_modified } : {};
  }

  saveConditional(url: string, state: ConditionalState): void {
    this.db
      .prepare(
        `INSERT INTO feeds_url_state (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at`,
      )
      .run(url, state.etag ?? null, state.lastModified ?? null, new Date().toISOString());
  }

  filterUnseen(ids: string[]): string[] {
    const exists = this.db.prepare('SELECT 1 FROM feeds_seen WHERE article_id = ?');
    return ids.filter((id) => !exists.get(id));
  }

  markSeen(entries: SeenEntry[], at: Date): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO feeds_seen (article_id, source_id, url, seen_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const entry of entries) insert.run(entry.articleId, entry.sourceId, entry.url, at.getTime());
    })();
  }

  countSeenSince(sourceId: string, since: Date): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM feeds_seen WHERE source_id = ? AND seen_at >= ?').get(sourceId, since.getTime()) as { n: number };
    return row.n;
  }
}
