import type { SourceOverride, SourceOverrideStore } from '../source-override.port';

/** In-memory SourceOverrideStore for specs; passes the same contract suite as the real adapters. */
export class MemorySourceOverrides implements SourceOverrideStore {
  private readonly overrides = new Map<string, SourceOverride>();

  all(): SourceOverride[] {
    return [...this.overrides.values()].map((override) => structuredClone(override));
  }

  async put(override: SourceOverride): Promise<void> {
    this.overrides.set(override.sourceId, structuredClone(override));
  }
}
