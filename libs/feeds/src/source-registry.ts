import type { Database } from 'better-sqlite3';
import { SourceConfigError } from './feed-errors';
import { parseSourceConfig, type SourceConfig } from './source-config';

type Listener = () => void;

/**
 * The sources in force: the file's defaults with the runtime changes made through the API laid
 * over them (added sources, enabled/disabled, removed). Runtime changes live in SQLite, so they
 * survive restarts, and a changed file still updates every source the API did not touch.
 */
export class SourceRegistry {
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly db: Database,
    private readonly defaults: SourceConfig[],
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS feeds_source_overrides (
      source_id TEXT PRIMARY KEY,
      config TEXT,            -- a whole source added or replaced at runtime (JSON), or NULL
      enabled INTEGER,        -- an enabled/disabled override, or NULL
      removed INTEGER NOT NULL DEFAULT 0
    )`);
  }

  list(): SourceConfig[] {
    const overrides = new Map(this.rows().map((row) => [row.source_id, row]));
    const result: SourceConfig[] = [];
    const ids = new Set<string>();
    for (const source of this.defaults) {
      ids.add(source.id);
      const applied = this.withOverride(source, overrides.get(source.id));
      if (applied) result.push(applied);
    }
    for (const row of overrides.values()) {
      if (ids.has(row.source_id) || !row.config) continue;
      const applied = this.withOverride(undefined, row);
      if (applied) result.push(applied);
    }
    return result;
  }

  get(id: string): SourceConfig | undefined {
    return this.list().find((source) => source.id === id);
  }

  /** Adds (or replaces) a source at runtime; validated like the file, the error names the field. */
  upsert(input: unknown): SourceConfig {
    const source = parseSourceConfig(input, 'source');
    this.db
      .prepare(
        `INSERT INTO feeds_source_overrides (source_id, config, enabled, removed) VALUES (?, ?, NULL, 0)
         ON CONFLICT(source_id) DO UPDATE SET config = excluded.config, enabled = NULL, removed = 0`,
      )
      .run(source.id, JSON.stringify(source));
    this.changed();
    return source;
  }

  setEnabled(id: string, enabled: boolean): SourceConfig {
    if (!this.get(id)) throw new SourceConfigError(`no source with id '${id}'`, 'id');
    this.db
      .prepare(
        `INSERT INTO feeds_source_overrides (source_id, config, enabled, removed) VALUES (?, NULL, ?, 0)
         ON CONFLICT(source_id) DO UPDATE SET enabled = excluded.enabled`,
      )
      .run(id, enabled ? 1 : 0);
    this.changed();
    return this.get(id) as SourceConfig;
  }

  remove(id: string): void {
    if (!this.get(id)) throw new SourceConfigError(`no source with id '${id}'`, 'id');
    this.db
      .prepare(
        `INSERT INTO feeds_source_overrides (source_id, config, enabled, removed) VALUES (?, NULL, NULL, 1)
         ON CONFLICT(source_id) DO UPDATE SET removed = 1, config = NULL`,
      )
      .run(id);
    this.changed();
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private withOverride(
    base: SourceConfig | undefined,
    row: { config: string | null; enabled: number | null; removed: number } | undefined,
  ): SourceConfig | undefined {
    if (row?.removed) return undefined;
    const config = row?.config ? (JSON.parse(row.config) as SourceConfig) : base;
    if (!config) return undefined;
    return row?.enabled === null || row?.enabled === undefined ? config : { ...config, enabled: row.enabled === 1 };
  }

  private rows(): Array<{ source_id: string; config: string | null; enabled: number | null; removed: number }> {
    return this.db.prepare('SELECT source_id, config, enabled, removed FROM feeds_source_overrides').all() as never;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
