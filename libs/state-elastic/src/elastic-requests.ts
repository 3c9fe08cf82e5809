import { Client, errors, estypes } from '@elastic/elasticsearch';
import { MonitorError } from '@monitor/contracts';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';

/**
 * A failed request to the state indices. Retriable when Elasticsearch was unreachable, overloaded
 * (429) or failing (5xx); a refused request (a mapping error, a bad query) is not.
 */
export class StateStoreError extends MonitorError {
  constructor(
    message: string,
    options: { retriable: boolean; cause?: unknown },
    readonly status?: number,
  ) {
    super(options.retriable ? 'STATE_STORE_UNAVAILABLE' : 'STATE_STORE_REJECTED', message, options);
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.meta.statusCode : undefined;
}

function passingTrouble(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 429 || status >= 500;
  return error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError;
}

// Short: a caller (a bus handler, an HTTP request) has its own retries and deadlines above this one.
const passingTroublePolicy = retry(handleWhen(passingTrouble), { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) });

/**
 * Runs one request, again on passing trouble only, and turns what still fails into a
 * StateStoreError. Every request here is safe to repeat: creates are create-only, updates are
 * conditional on the version read, reads are reads.
 */
export async function elasticRequest<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await passingTroublePolicy.execute(run);
  } catch (error) {
    if (error instanceof StateStoreError) throw error;
    const status = statusOf(error);
    throw new StateStoreError(`Elasticsearch ${what} failed${status ? ` (${status})` : ''}: ${(error as Error).message}`, { retriable: passingTrouble(error), cause: error }, status);
  }
}

/**
 * Waits until every index named has an active primary shard. An index another process has just
 * created exists before its shard is active, and reads of it fail with "no shard available" until
 * then (a poller would back off its source for minutes).
 */
export async function awaitPrimaryShards(client: Client, indices: string[]): Promise<void> {
  await elasticRequest(`waiting for ${indices.join(', ')}`, async () => {
    const health = await client.cluster.health({ index: indices, wait_for_status: 'yellow', timeout: '30s' });
    if (health.timed_out) throw new StateStoreError(`Elasticsearch indices ${indices.join(', ')}: no active primary shard after 30 s (status ${health.status})`, { retriable: true });
  });
}

/** A document read by id, with the version a conditional write must name. */
export interface Versioned<T> {
  id: string;
  source: T;
  seqNo: number;
  primaryTerm: number;
  version: number;
}

type Refresh = 'wait_for' | false;

/** Document requests on one client; 404 and 409 are answers here, not errors. */
export class StateDocuments {
  constructor(private readonly client: Client) {}

  /** A realtime read: sees every acknowledged write, refreshed or not. */
  async get<T>(index: string, id: string): Promise<Versioned<T> | null> {
    const found = await elasticRequest(`get ${index}/${id}`, () => this.client.get<T>({ index, id }, { ignore: [404] }));
    return found.found ? versioned(found) : null;
  }

  /** Realtime reads of several ids, in their order (null where missing). */
  async mget<T>(index: string, ids: string[]): Promise<Array<Versioned<T> | null>> {
    if (ids.length === 0) return [];
    const answer = await elasticRequest(`mget ${index}`, () => this.client.mget<T>({ index, ids }));
    return answer.docs.map((doc) => ('found' in doc && doc.found ? versioned(doc) : null));
  }

  /** Creates the document unless its id exists; the written version, or null when it existed. */
  async create<T>(index: string, id: string, source: T, refresh: Refresh): Promise<{ seqNo: number } | null> {
    const answer = await elasticRequest(`create ${index}/${id}`, () =>
      this.client.create({ index, id, document: source, refresh }, { ignore: [409] }),
    );
    return answer.result === 'created' ? { seqNo: answer._seq_no! } : null;
  }

  /** Writes the document only if it is still the version read; false when another writer came first. */
  async replaceIf<T>(index: string, read: Versioned<unknown>, source: T, refresh: Refresh): Promise<boolean> {
    const answer = await elasticRequest(`write ${index}/${read.id}`, () =>
      this.client.index({ index, id: read.id, document: source, if_seq_no: read.seqNo, if_primary_term: read.primaryTerm, refresh }, { ignore: [409] }),
    );
    return answer.result === 'updated' || answer.result === 'created';
  }

  /** Deletes the document only if it is still the version read; false when another writer came first or it is gone. */
  async deleteIf(index: string, read: Versioned<unknown>, refresh: Refresh): Promise<boolean> {
    const answer = await elasticRequest(`delete ${index}/${read.id}`, () =>
      this.client.delete({ index, id: read.id, if_seq_no: read.seqNo, if_primary_term: read.primaryTerm, refresh }, { ignore: [404, 409] }),
    );
    return answer.result === 'deleted';
  }

  /** Indexes the document whatever it held; its new version. */
  async put<T>(index: string, id: string, source: T, refresh: Refresh): Promise<{ version: number }> {
    const answer = await elasticRequest(`write ${index}/${id}`, () => this.client.index({ index, id, document: source, refresh }));
    return { version: answer._version };
  }

  /**
   * Creates each document unless its id exists, in one bulk request; per document, its written
   * seq_no or null when it existed. Items refused for passing trouble (429) are sent again.
   */
  async createMany<T>(index: string, docs: Array<{ id: string; source: T }>, refresh: Refresh): Promise<Array<{ seqNo: number } | null>> {
    const out: Array<{ seqNo: number } | null | undefined> = docs.map(() => undefined);
    await elasticRequest(`bulk create ${index}`, async () => {
      const todo = out.flatMap((done, i) => (done === undefined ? [i] : []));
      if (todo.length === 0) return;
      const answer = await this.client.bulk({ refresh, operations: todo.flatMap((i) => [{ create: { _index: index, _id: docs[i].id } }, docs[i].source]) });
      let again: unknown;
      answer.items.forEach((item, n) => {
        const result = item.create!;
        if (result.status === 201) out[todo[n]] = { seqNo: result._seq_no! };
        else if (result.status === 409) out[todo[n]] = null;
        else if (result.status === 429 || result.status >= 500) again = itemError(result);
        else throw new StateStoreError(`Elasticsearch refused ${index}/${result._id}: ${result.error?.reason ?? result.status}`, { retriable: false }, result.status);
      });
      if (again) throw again;
    });
    return out as Array<{ seqNo: number } | null>;
  }

  /** One page of hits, sources and versions. */
  async search<T>(index: string, request: Omit<estypes.SearchRequest, 'index'>): Promise<Array<Versioned<T> & { sort?: estypes.SortResults }>> {
    const answer = await elasticRequest(`search ${index}`, () => this.client.search<T>({ index, seq_no_primary_term: true, version: true, ...request }));
    return answer.hits.hits.map((hit) => ({ ...versioned(hit), sort: hit.sort }));
  }

  /** The aggregations of a query, without hits. */
  async aggregate<A>(index: string, request: Pick<estypes.SearchRequest, 'query' | 'aggs'>): Promise<A> {
    const answer = await elasticRequest(`aggregate ${index}`, () => this.client.search({ index, size: 0, ...request }));
    return answer.aggregations as A;
  }

  /** Every hit of a query, paged with search_after over `sort` (which must end in a unique field). */
  async searchAll<T>(index: string, query: estypes.QueryDslQueryContainer, sort: estypes.Sort, pageSize = 1000): Promise<Array<Versioned<T>>> {
    const all: Array<Versioned<T>> = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const page = await this.search<T>(index, { query, sort, size: pageSize, ...(after ? { search_after: after } : {}) });
      all.push(...page);
      if (page.length < pageSize) return all;
      after = page.at(-1)!.sort;
    }
  }
}

function versioned<T>(doc: { _id?: string; _source?: T; _seq_no?: number; _primary_term?: number; _version?: number }): Versioned<T> {
  return { id: doc._id!, source: doc._source as T, seqNo: doc._seq_no ?? -1, primaryTerm: doc._primary_term ?? 0, version: doc._version ?? 0 };
}

// Shaped like a transport error so that the retry policy takes it for passing trouble.
function itemError(result: estypes.BulkResponseItem): Error {
  return new errors.ResponseError({ statusCode: result.status, body: { error: result.error }, headers: {}, warnings: null, meta: {} as never });
}
