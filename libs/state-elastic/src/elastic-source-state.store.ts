import { createHash } from 'node:crypto';
import { Client, errors, type estypes } from '@elastic/elasticsearch';
import { StateStoreError, awaitPrimaryShards, elasticRequest } from './elastic-requests';
import { emptyHealth, type ConditionalState, type SeenEntry, type SourceHealth, type SourceStateStore } from '@monitor/feeds';

export interface ElasticSourceStateOptions {
  /** Elasticsearch URL (ignored when `client` is given). */
  node?: string;
  /** A client to share; the store then does not close it. */
  client?: Client;
  /** Put before the three index names (`<prefix>-source-health`, `-source-validators`, `-source-seen`). */
  indexPrefix: string;
  replicas?: number;
}

const MAPPINGS: Record<'health' | 'validators' | 'seen', estypes.MappingTypeMapping> = {
  health: { dynamic: false, properties: { sourceId: { type: 'keyword' }, health: { type: 'object', enabled: false } } },
  validators: {
    dynamic: false,
    properties: { url: { type: 'keyword', index: false, doc_values: false }, etag: { type: 'keyword', index: false }, lastModified: { type: 'keyword', index: false }, updatedAt: { type: 'date' } },
  },
  seen: {
    dynamic: false,
    properties: { articleId: { type: 'keyword' }, sourceId: { type: 'keyword' }, url: { type: 'keyword', index: false, doc_values: false }, seenAt: { type: 'date' } },
  },
};

interface HealthDoc {
  sourceId: string;
  health: SourceHealth;
}
interface ValidatorsDoc {
  url: string;
  etag: string | null;
  lastModified: string | null;
  updatedAt: string;
}

/**
 * The poller's state in Elasticsearch, for the stack: the collector replicas write it and the api
 * reads it, and a source that moves to another replica keeps its health, validators and seen
 * items. Every read of one document is a real-time GET (or mget), so a write is visible at once;
 * only `countSeenSince` searches, so `markSeen` waits for the refresh that makes its items counted.
 */
export class ElasticSourceStateStore implements SourceStateStore {
  readonly indices: { health: string; validators: string; seen: string };
  private readonly client: Client;
  private readonly ownsClient: boolean;

  constructor(private readonly options: ElasticSourceStateOptions) {
    this.indices = {
      health: `${options.indexPrefix}-source-health`,
      validators: `${options.indexPrefix}-source-validators`,
      seen: `${options.indexPrefix}-source-seen`,
    };
    this.ownsClient = !options.client;
    this.client = options.client ?? new Client({ node: options.node ?? 'http://127.0.0.1:9200', requestTimeout: 30_000, maxRetries: 0 });
  }

  /** Creates the three indices if missing (idempotent; several processes may race to do it). */
  async init(): Promise<void> {
    for (const [name, index] of Object.entries(this.indices) as [keyof typeof MAPPINGS, string][]) {
      await this.call(`creating ${index}`, async () => {
        if (await this.client.indices.exists({ index })) return;
        try {
          await this.client.indices.create({
            index,
            settings: { number_of_shards: 1, number_of_replicas: this.options.replicas ?? 0 },
            mappings: MAPPINGS[name],
          });
        } catch (error) {
          if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception')) throw error;
        }
      });
    }
    await awaitPrimaryShards(this.client, Object.values(this.indices));
  }

  async getHealth(sourceId: string): Promise<SourceHealth> {
    const doc = await this.call('reading a source health', async () => {
      const response = await this.client.get<HealthDoc>({ index: this.indices.health, id: sourceId }, { ignore: [404] });
      return response.found ? response._source : undefined;
    });
    return doc ? { ...emptyHealth(sourceId), ...doc.health, sourceId } : emptyHealth(sourceId);
  }

  async saveHealth(health: SourceHealth): Promise<void> {
    await this.call('writing a source health', () => this.client.index({ index: this.indices.health, id: health.sourceId, document: { sourceId: health.sourceId, health } }));
  }

  async getConditional(url: string): Promise<ConditionalState> {
    const doc = await this.call('reading validators', async () => {
      const response = await this.client.get<ValidatorsDoc>({ index: this.indices.validators, id: urlId(url) }, { ignore: [404] });
      return response.found ? response._source : undefined;
    });
    return doc ? { etag: doc.etag, lastModified: doc.lastModified } : {};
  }

  async saveConditional(url: string, state: ConditionalState): Promise<void> {
    const document: ValidatorsDoc = { url, etag: state.etag ?? null, lastModified: state.lastModified ?? null, updatedAt: new Date().toISOString() };
    await this.call('writing validators', () => this.client.index({ index: this.indices.validators, id: urlId(url), document }));
  }

  async filterUnseen(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const response = await this.call('reading seen items', () =>
      this.client.mget({ index: this.indices.seen, ids: [...new Set(ids)], _source: false }),
    );
    const seen = new Set<string>();
    for (const doc of response.docs) {
      if ('error' in doc) throw new StateStoreError(`Elasticsearch reading seen items failed: ${doc._id}: ${doc.error.reason ?? doc.error.type}`, { retriable: true });
      if (doc.found) seen.add(doc._id);
    }
    return ids.filter((id) => !seen.has(id));
  }

  /**
   * `create` with the article id as `_id`: a second mark of the same id is refused by
   * Elasticsearch (409) and the first time stays, so replicas racing on a source double nothing.
   */
  async markSeen(entries: SeenEntry[], at: Date): Promise<void> {
    if (entries.length === 0) return;
    const operations = entries.flatMap((entry) => [
      { create: { _index: this.indices.seen, _id: entry.articleId } },
      { articleId: entry.articleId, sourceId: entry.sourceId, url: entry.url, seenAt: at.toISOString() },
    ]);
    await this.call('marking items seen', async () => {
      const response = await this.client.bulk({ operations, refresh: 'wait_for' });
      if (!response.errors) return;
      const failed = response.items.map((item) => item.create).filter((item) => item?.error && item.status !== 409);
      if (failed.length) {
        const worst = Math.max(...failed.map((item) => item!.status));
        const retriable = worst === 429 || worst >= 500;
        throw new StateStoreError(`${failed.length} item(s) not marked seen: ${failed[0]!.error!.reason ?? failed[0]!.error!.type}`, { retriable }, worst);
      }
    });
  }

  async countSeenSince(sourceId: string, since: Date): Promise<number> {
    const response = await this.call('counting seen items', () =>
      this.client.count({
        index: this.indices.seen,
        query: { bool: { filter: [{ term: { sourceId } }, { range: { seenAt: { gte: since.toISOString() } } }] } },
      }),
    );
    return response.count;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  /** One call, again on passing trouble (the lib's one policy); a failure comes out as a StateStoreError. */
  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return elasticRequest(what, run);
  }
}

/** Elasticsearch ids are at most 512 bytes; a URL can be longer. */
function urlId(url: string): string {
  return createHash('sha256').update(url).digest('base64url');
}
