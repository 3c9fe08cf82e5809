import { SourceConfigError } from './feed-errors';
import { parseSourceConfig, type SourceConfig } from './source-config';
import type { SourceOverride, SourceOverrideStore } from './source-override.port';

type Listener = () => void;

/**
 * The sources in force: the file's defaults with the runtime changes made through the API laid
 * over them (added sources, enabled/disabled, removed). Runtime changes live in the override
 * store, so they survive restarts, and a changed file still updates every source the API did not
 * touch.
 */
export class SourceRegistry {
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly overrides: SourceOverrideStore,
    private readonly defaults: SourceConfig[],
  ) {
    // The registry lives as long as its process, so the subscription is never undone.
    overrides.onChange?.(() => this.changed());
  }

  list(): SourceConfig[] {
    const overrides = new Map(this.overrides.all().map((override) => [override.sourceId, override]));
    const result: SourceConfig[] = [];
    const ids = new Set<string>();
    for (const source of this.defaults) {
      ids.add(source.id);
      const applied = withOverride(source, overrides.get(source.id));
      if (applied) result.push(applied);
    }
    for (const override of overrides.values()) {
      if (ids.has(override.sourceId) || !override.config) continue;
      const applied = withOverride(undefined, override);
      if (applied) result.push(applied);
    }
    return result;
  }

  get(id: string): SourceConfig | undefined {
    return this.list().find((source) => source.id === id);
  }

  /** Adds (or replaces) a source at runtime; validated like the file, the error names the field. */
  async upsert(input: unknown): Promise<SourceConfig> {
    const source = parseSourceConfig(input, 'source');
    await this.overrides.put({ sourceId: source.id, config: source, enabled: null, removed: false });
    this.changed();
    return source;
  }

  async setEnabled(id: string, enabled: boolean): Promise<SourceConfig> {
    if (!this.get(id)) throw new SourceConfigError(`no source with id '${id}'`, 'id');
    const current = this.current(id);
    await this.overrides.put({ ...current, enabled, removed: false });
    this.changed();
    return this.get(id) as SourceConfig;
  }

  async remove(id: string): Promise<void> {
    if (!this.get(id)) throw new SourceConfigError(`no source with id '${id}'`, 'id');
    await this.overrides.put({ sourceId: id, config: null, enabled: null, removed: true });
    this.changed();
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private current(id: string): SourceOverride {
    return this.overrides.all().find((override) => override.sourceId === id) ?? { sourceId: id, config: null, enabled: null, removed: false };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function withOverride(base: SourceConfig | undefined, override: SourceOverride | undefined): SourceConfig | undefined {
  if (override?.removed) return undefined;
  const config = override?.config ?? base;
  if (!config) return undefined;
  return override?.enabled === null || override?.enabled === undefined ? config : { ...config, enabled: override.enabled };
}
