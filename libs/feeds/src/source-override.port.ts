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
 * Where the API's changes to sources are kept. Synchronous on purpose: every request and every
 * scheduler tick reads the sources in force, so an adapter keeps them in memory and only writes
 * through (the SQLite one reads its small table).
 */
export interface SourceOverrideStore {
  all(): SourceOverride[];
  /** Replaces what is recorded for `override.sourceId`. */
  put(override: SourceOverride): void;
}
