import { Client, errors, estypes } from '@elastic/elasticsearch';
import { awaitPrimaryShards, elasticRequest } from './elastic-requests';

/** The alerts state, one index per kind of record. */
export type StateIndexKind = 'subscriptions' | 'api-keys' | 'alert-ledger' | 'deliveries' | 'topic-volume' | 'digests' | 'meta';

const keyword = { type: 'keyword' } as const;
const date = { type: 'date' } as const;
const stored = { type: 'object', enabled: false } as const;
const notIndexed = { type: 'keyword', index: false, doc_values: false } as const;

/**
 * Explicit mappings, `dynamic: false`: a field that is not listed stays in _source and is never
 * indexed, so no document can change an index's mapping by accident. Only what is filtered or
 * sorted on is indexed; whole records (subscription specs, alerts) are kept as unindexed objects.
 */
const MAPPINGS: Record<StateIndexKind, estypes.MappingTypeMapping> = {
  subscriptions: { dynamic: false, properties: { id: keyword, ownerKeyId: keyword, createdAt: date, subscription: stored } },
  'api-keys': {
    dynamic: false,
    properties: { keyId: keyword, hash: notIndexed, role: keyword, label: notIndexed, createdAt: date, revokedAt: date },
  },
  // Entries are ordered by the shard's _seq_no (see ElasticAlertLedger); nothing here is updated.
  'alert-ledger': {
    dynamic: false,
    properties: { subscriptionId: keyword, subjectId: keyword, ownerKeyId: keyword, alertId: keyword, createdAt: date, alert: stored },
  },
  deliveries: {
    dynamic: false,
    properties: {
      alertId: keyword, channel: keyword, kind: keyword, subscriptionId: keyword, ownerKeyId: keyword, status: keyword,
      attempts: { type: 'integer' }, lastError: { type: 'text', index: false }, deadLetter: { type: 'boolean' }, leaseUntil: { type: 'long' },
      createdAt: date, updatedAt: date, deliveredAt: date,
    },
  },
  'topic-volume': {
    dynamic: false,
    properties: { topic: keyword, articleId: keyword, day: keyword, title: notIndexed, url: notIndexed, publishedAt: date },
  },
  digests: {
    dynamic: false,
    properties: {
      id: keyword, subscriptionId: keyword, mode: keyword, from: date, to: date, fromSeq: { type: 'long' }, toSeq: { type: 'long' }, createdAt: date,
    },
  },
  // Single documents: the subscriptions' revision counter and the day topic volume began to be watched.
  meta: { dynamic: false, properties: { value: notIndexed } },
};

export const STATE_INDEX_KINDS = Object.keys(MAPPINGS) as StateIndexKind[];

export interface StateIndicesOptions {
  client: Client;
  /** Every index is named `<prefix>-<kind>`; a test run gets its own prefix. */
  prefix?: string;
  replicas?: number;
  /**
   * How soon a write shows in searches. Writes that a search must see next wait for it
   * (refresh=wait_for), so a shorter interval makes them return sooner, at an indexing cost.
   */
  refreshInterval?: string;
}

/** The names and the creation of the state indices, shared by every adapter of this lib. */
export class StateIndices {
  readonly client: Client;
  readonly prefix: string;
  private readonly replicas: number;
  private readonly refreshInterval: string;
  /** The refresh interval in milliseconds: how long a write may stay out of searches. */
  readonly refreshIntervalMs: number;

  constructor(options: StateIndicesOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'monitor-state';
    this.replicas = options.replicas ?? 0;
    this.refreshInterval = options.refreshInterval ?? '1s';
    this.refreshIntervalMs = durationMs(this.refreshInterval);
  }

  name(kind: StateIndexKind): string {
    return `${this.prefix}-${kind}`;
  }

  /**
   * Creates the indices that do not exist yet, with their mappings; safe to run from every replica
   * at once (an index another replica just created counts as created).
   */
  async ensure(kinds: readonly StateIndexKind[] = STATE_INDEX_KINDS): Promise<void> {
    for (const kind of kinds) {
      const index = this.name(kind);
      await elasticRequest(`create index ${index}`, async () => {
        try {
          await this.client.indices.create({
            index,
            settings: {
              // One primary shard for every index: the ledger needs it (its order is the shard's
              // sequence numbers) and the others are small. Replicas scale reads and survival.
              number_of_shards: 1,
              number_of_replicas: this.replicas,
              refresh_interval: this.refreshInterval,
            },
            mappings: MAPPINGS[kind],
          });
        } catch (error) {
          if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception')) throw error;
        }
      });
    }
    await awaitPrimaryShards(this.client, kinds.map((kind) => this.name(kind)));
  }

  /** Deletes every state index of this prefix (tests, and tearing down a namespace). */
  async drop(): Promise<void> {
    // ignore_unavailable: kinds that were never created are no reason to keep the others.
    await elasticRequest('delete state indices', () => this.client.indices.delete({ index: STATE_INDEX_KINDS.map((k) => this.name(k)), ignore_unavailable: true }));
  }
}

/** An Elasticsearch time value of ms, s or m ("1s", "500ms") in milliseconds. */
function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(value.trim());
  if (!match) throw new RangeError(`refresh interval '${value}': expected a number of ms, s or m`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
}
