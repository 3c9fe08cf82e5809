import type { ConditionalState } from '../feed-fetcher';
import { emptyHealth, type SourceHealth } from '../source-health';
import type { SeenEntry, SourceStateStore } from '../source-state.port';

/** An in-memory SourceStateStore for specs; passes the same contract suite as the real adapters. */
export class MemorySourceStateStore implements SourceStateStore {
  private readonly health = new Map<string, SourceHealth>();
  private readonly conditional = new Map<string, ConditionalState>();
  private readonly seen = new Map<string, SeenEntry & { at: number }>();

  async getHealth(sourceId: string): Promise<SourceHealth> {
    const stored = this.health.get(sourceId);
    return stored ? structuredClone(stored) : emptyHealth(sourceId);
  }

  async saveHealth(health: SourceHealth): Promise<void> {
    this.health.set(health.sourceId, structuredClone(health));
  }

  async getConditional(url: string): Promise<ConditionalState> {
    return { ...(this.conditional.get(url) ?? {}) };
  }

  async saveConditional(url: string, state: ConditionalState): Promise<void> {
    this.conditional.set(url, { etag: state.etag ?? null, lastModified: state.lastModified ?? null });
  }

  async filterUnseen(ids: string[]): Promise<string[]> {
    return ids.filter((id) => !this.seen.has(id));
  }

  async markSeen(entries: SeenEntry[], at: Date): Promise<void> {
    for (const entry of entries) if (!this.seen.has(entry.articleId)) this.seen.set(entry.articleId, { ...entry, at: at.getTime() });
  }

  async countSeenSince(sourceId: string, since: Date): Promise<number> {
    let n = 0;
    for (const entry of this.seen.values()) if (entry.sourceId === sourceId && entry.at >= since.getTime()) n++;
    return n;
  }
}
