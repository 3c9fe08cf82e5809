import type { Database } from 'better-sqlite3';
import type { SourceConfig, SourceOverride, SourceOverrideStore } from '@monitor/feeds';

interface OverrideRow {
  source_id: string;
  config: string | null;
  enabled: number | null;
  removed: number;
}

/** The API's changes to sources, in the embedded data file (table `feeds_source_overrides`). */
export class SqliteSourceOverrides implements SourceOverrideStore {
  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS feeds_source_overrides (
      source_id TEXT PRIMARY KEY,
      config TEXT,            -- a whole source added or replaced at runtime (JSON), or NULL
      enabled INTEGER,        -- an enabled/disabled override, or NULL
      removed INTEGER NOT NULL DEFAULT 0
    )`);
  }

  all(): SourceOverride[] {
    const rows = this.db.prepare('SELECT source_id, config, enabled, removed FROM feeds_source_overrides').all() as OverrideRow[];
    return rows.map((row) => ({
      sourceId: row.source_id,
      config: row.config ? (JSON.parse(row.config) as SourceConfig) : null,
      enabled: row.enabled === null ? null : row.enabled === 1,
      removed: row.removed === 1,
    }));
  }

  async put(override: SourceOverride): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feeds_source_overrides (source_id, config, enabled, removed) VALUES (?, ?, ?, ?)
         ON CONFLICT(source_id) DO UPDATE SET config = excluded.config, enabled = excluded.enabled, removed = excluded.removed`,
      )
      .run(
        override.sourceId,
        override.config ? JSON.stringify(override.config) : null,
        override.enabled === null ? null : override.enabled ? 1 : 0,
        override.removed ? 1 : 0,
      );
  }
}
