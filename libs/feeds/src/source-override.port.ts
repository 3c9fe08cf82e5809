import type { SourceConfig } from './source-config';

export const SOURCE_OVERRIDES = Symbol('SOURCE_OVERRIDES');

/** A change made to one source through the API, laid over the sources file. */
export interface SourceOverride {
  sourceId: string;
  /** A whole source added or replaced at runtime, or null to keep the file's. */
  config: SourceConfig | null;
  /** An enabled/disabled override, or null to keep the config's. */
  enabled: boolean | null;
  removed: boolean;
}

/**
 * Where the API's changes to sources are kept. Reads are synchronous on purpose: every request
 * and every scheduler tick reads the sources in force, so an adapter keeps them in memory and
 * only writes through (the SQLite one reads its small table). Writes are asynchronous because in
 * the stack a change is durable only once the bus accepted it.
 */
export interface SourceOverrideStore {
  all(): SourceOverride[];
  /**
   * Replaces what is recorded for `override.sourceId`. `all()` shows it as soon as this is called
   * (a writer reads its own write); resolves once the change is durable.
   */
  put(override: SourceOverride): Promise<void>;
  /**
   * Told when a change made by another process arrived, so the sources in force are read again
   * without waiting for a scheduler tick. Absent when only this process writes the store.
   */
  onChange?(listener: () => void): () => void;
}
