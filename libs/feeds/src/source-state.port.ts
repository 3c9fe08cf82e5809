import type { ConditionalState } from './feed-fetcher';
import type { SourceHealth } from './source-health';

export const SOURCE_STATE = Symbol('SOURCE_STATE');

export interface SeenEntry {
  articleId: string;
  sourceId: string;
  url: string;
}

/**
 * What the poller keeps between polls and across restarts: each source's health, each URL's
 * conditional-GET validators, and the ids of the items already published. Asynchronous because
 * in the stack it lives on the network, not in a local file.
 */
export interface SourceStateStore {
  /** The stored health, or an empty one for a source never polled. */
  getHealth(sourceId: string): Promise<SourceHealth>;
  saveHealth(health: SourceHealth): Promise<void>;
  getConditional(url: string): Promise<ConditionalState>;
  saveConditional(url: string, state: ConditionalState): Promise<void>;
  /** The ids among `ids` not seen before, in their given order. */
  filterUnseen(ids: string[]): Promise<string[]>;
  /** Idempotent: marking an id seen twice keeps the first time. */
  markSeen(entries: SeenEntry[], at: Date): Promise<void>;
  countSeenSince(sourceId: string, since: Date): Promise<number>;
}
