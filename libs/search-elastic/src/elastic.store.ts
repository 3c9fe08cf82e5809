import { estypes, Client, errors } from '@elastic/elasticsearch';
import { Checked, MonitorError, StoredArticle, TopicId, TopicMatch, TopicMatchSchema, validationErrorFromZod } from '@monitor/contracts';
import { isRetriableStatus } from '@monitor/outbound-http';
import { positiveLeaves, toElasticQuery } from '@monitor/query';
import { indexText } from '@monitor/text';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { z } from 'zod';
import {
  ArticleStore,
  BulkItemFailure,
  BulkResult,
  FacetBucket,
  SearchHit,
  SearchQuery,
  SearchResult,
  StoreHealth,
  StoryCounts,
  TopicDayCount,
  dateRangeOf,
  effectiveDate,
  highlightArticle,
  pagingOf,
  textQueryOf,
  storyKeyOf,
  upsertCheckingEach,
  withStoryRows,
} from '@monitor/search';

export interface ElasticStoreOptions {
  /** Elasticsearch URL, e.g. http://127.0.0.1:9200 (ignored when `client` is given). */
  node?: string;
  /** A client to share; the store then does not close it. */
  client?: Client;
  /** Name of the alias every read and write goes through; the concrete index is `<alias>-v<version>`. */
  alias?: string;
  version?: number;
  shards?: number;
  replicas?: number;
  refreshInterval?: string;
  /** Attempts of a bulk (whole request or rejected items) before giving up on it. */
  maxAttempts?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  requestTimeoutMs?: number;
}

/** The document as indexed: the article plus the filter fields and the app-analysed terms. */
export interface ArticleDocument extends StoredArticle {
  topicIds: TopicId[];
  /** What a search collapsed by story groups on: the story, else the article's own id (storyKeyOf). */
  storyKey: string;
  effectiveAt: string;
  title_terms: string;
  text_terms: string;
}

/**
 * An error of the Elasticsearch adapter. Retriable when Elasticsearch was unreachable, overloaded
 * (429) or failing (5xx); a 4xx such as a mapping error on one document is not.
 */
export class ElasticStoreError extends MonitorError {
  /** HTTP status Elasticsearch answered with, when it answered. */
  readonly status?: number;

  constructor(code: string, message: string, options: { retriable: boolean; cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** No answer at all (status undefined) is an outage too; otherwise the one rule for HTTP statuses. */
const isRetriableAnswer = (status: number | undefined) => status === undefined || isRetriableStatus(status);

function isRetriableTransportError(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return isRetriableAnswer(error.meta.statusCode);
  return error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError;
}

/** An Elasticsearch failure as this adapter's error: retriable when Elasticsearch was away or overloaded. */
export function unavailable(what: string, error: unknown): ElasticStoreError {
  const status = error instanceof errors.ResponseError ? error.meta.statusCode : undefined;
  const retriable = isRetriableTransportError(error);
  return new ElasticStoreError(
    retriable ? 'SEARCH_STORE_UNAVAILABLE' : 'SEARCH_STORE_REJECTED',
    `Elasticsearch ${what} failed${status ? ` (${status})` : ''}: ${(error as Error).message}`,
    { retriable, cause: error, status },
  );
}

/** Signals to the retry policy that some items of a bulk were rejected with a retriable status. */
class ItemsToRetry extends Error {}

const TopicsSchema = z.array(TopicMatchSchema);
const STORED_FIELDS = [
  'id', 'sourceId', 'sourceName', 'url', 'title', 'text', 'html', 'language', 'publishedAt', 'fetchedAt', 'classifiedAt', 'taxonomyVersion', 'topics', 'storyId',
] as const;
const TERM_FIELDS = ['title_terms', 'text_terms'];
/** Fields the story rows added to the mapping; an index made before them gets them on start. */
const STORY_FIELDS = ['storyId', 'storyKey'] as const;
/** Backfill page size of the story key, for an index made before it. */
const STORY_KEY_BACKFILL_PAGE = 500;
/** cardinality's most exact setting: row counts below it are exact but for hash collisions. */
const ROW_COUNT_PRECISION = 40_000;
/** Search hits leave the display HTML out: a list never shows it, and it is the largest field. */
const NOT_IN_HITS = [...TERM_FIELDS, 'html'];

/**
 * Mappings of the article index. Titles and texts are analysed by the application (see
 * libs/text: this distribution has no language analysers) and indexed as space-separated
 * terms with the `whitespace` analyser; the display fields are kept in _source only. The term
 * fields stay in _source too, because a partial `_update` re-indexes the document from _source and
 * would otherwise drop them; reads leave them out.
 */
export const ARTICLE_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: false,
  properties: {
    id: { type: 'keyword' },
    sourceId: { type: 'keyword' },
    sourceName: { type: 'keyword', index: false, doc_values: false },
    url: { type: 'keyword', index: false, doc_values: false },
    language: { type: 'keyword' },
    topicIds: { type: 'keyword' },
    taxonomyVersion: { type: 'keyword' },
    storyId: { type: 'keyword' },
    // Field collapsing puts every document without its field into one group; a key every
    // document has keeps an article without a story a row of its own.
    storyKey: { type: 'keyword' },
    title: { type: 'text', index: false },
    text: { type: 'text', index: false },
    // For display only (GET /articles/:id): kept in _source, never analysed.
    html: { type: 'text', index: false },
    publishedAt: { type: 'date' },
    fetchedAt: { type: 'date' },
    classifiedAt: { type: 'date' },
    effectiveAt: { type: 'date' },
    topics: { type: 'object', enabled: false },
    title_terms: { type: 'text', analyzer: 'whitespace' },
    text_terms: { type: 'text', analyzer: 'whitespace' },
  },
};

/**
 * The Elasticsearch adapter of the search port, for the stack mode. Writes go through an alias
 * whose write index is the versioned concrete index, so a new mapping means a new index filled
 * by the application and an alias swap, with no downtime (this distribution has no `_reindex`).
 * Highlights come from the application's highlighter over `_source` (see search-highlighter.ts).
 */
export class ElasticArticleStore implements ArticleStore {
  readonly alias: string;
  readonly index: string;
  private readonly client: Client;
  private readonly ownsClient: boolean;
  private readonly opts: Required<Omit<ElasticStoreOptions, 'node' | 'client' | 'alias' | 'version'>>;
  private readonly titleBoost = 3;

  constructor(options: ElasticStoreOptions = {}) {
    this.alias = options.alias ?? 'articles';
    this.index = `${this.alias}-v${options.version ?? 1}`;
    this.opts = {
      shards: options.shards ?? 1,
      replicas: options.replicas ?? 0,
      refreshInterval: options.refreshInterval ?? '1s',
      maxAttempts: options.maxAttempts ?? 6,
      retryInitialDelayMs: options.retryInitialDelayMs ?? 100,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 5_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
    this.ownsClient = !options.client;
    this.client =
      options.client ??
      new Client({ node: options.node ?? 'http://127.0.0.1:9200', requestTimeout: this.opts.requestTimeoutMs, maxRetries: 2 });
  }

  get templateName(): string {
    return `${this.alias}-template`;
  }

  async init(): Promise<void> {
    try {
      await this.client.indices.putIndexTemplate({
        name: this.templateName,
        index_patterns: [`${this.alias}-v*`],
        priority: 100,
        template: {
          settings: {
            number_of_shards: this.opts.shards,
            number_of_replicas: this.opts.replicas,
            refresh_interval: this.opts.refreshInterval,
          },
          mappings: ARTICLE_MAPPINGS,
        },
        _meta: { description: 'Articles of the drug-control monitor, terms analysed by the application' },
      });
      if (await this.client.indices.existsAlias({ name: this.alias })) {
        await this.addStoryFields();
        return;
      }
      try {
        await this.client.indices.create({ index: this.index, aliases: { [this.alias]: { is_write_index: true } } });
      } catch (error) {
        // Another process created it first, or the index exists without its alias: attach it.
        if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception')) throw error;
        await this.client.indices.updateAliases({ actions: [{ add: { index: this.index, alias: this.alias, is_write_index: true } }] });
      }
    } catch (error) {
      throw unavailable('index setup', error);
    }
  }

  /**
   * An index made before stories has neither story field mapped (the mapping is not dynamic, so a
   * storyId written then sits unindexed in _source). Adding a field to a mapping is allowed in
   * place; the documents already there are then given their story key, which re-indexes them,
   * storyId included. Later starts find none left to fill, so this costs one empty search.
   */
  private async addStoryFields(): Promise<void> {
    const properties = Object.fromEntries(STORY_FIELDS.map((field) => [field, ARTICLE_MAPPINGS.properties![field]]));
    await this.client.indices.putMapping({ index: this.alias, properties });
    await this.client.indices.refresh({ index: this.alias });
    for (;;) {
      const response = await this.client.search<Pick<ArticleDocument, 'id' | 'storyId'>>({
        index: this.alias,
        size: STORY_KEY_BACKFILL_PAGE,
        seq_no_primary_term: true,
        _source: ['id', 'storyId'],
        query: { bool: { must_not: [{ exists: { field: 'storyKey' } }] } },
        sort: [{ id: 'asc' }],
      });
      const hits = response.hits.hits;
      if (hits.length === 0) return;
      // Only if unchanged since read: a concurrent write already carries its key (and maybe a new story).
      const result = await this.client.bulk({
        refresh: 'wait_for',
        operations: hits.flatMap((hit) => [
          { update: { _index: hit._index, _id: hit._id, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term } },
          { doc: { storyKey: storyKeyOf({ id: hit._source?.id ?? hit._id!, storyId: hit._source?.storyId }) }, detect_noop: false },
        ]),
      });
      const failure = result.items.find((item) => item.update?.error && item.update.status !== 409);
      if (failure) throw new Error(`story key of article ${failure.update!._id}: ${failure.update!.error!.reason ?? failure.update!.status}`);
      // Every one changed under it: another replica is filling them in (or a process of the old
      // code still writes); leave the rest to it, or to the next start.
      const keyed = result.items.filter((item) => !item.update?.error).length;
      if (hits.length < STORY_KEY_BACKFILL_PAGE || keyed === 0) return;
    }
  }

  /** The indexed form of an article (overridable in tests to provoke a mapping error). */
  protected toDocument(article: StoredArticle): ArticleDocument {
    return {
      ...article,
      topicIds: [...new Set(article.topics.map((topic) => topic.id))],
      storyKey: storyKeyOf(article),
      effectiveAt: effectiveDate(article),
      title_terms: indexText(article.title),
      text_terms: indexText(article.text),
    };
  }

  private fromSource(source: Partial<ArticleDocument>): StoredArticle {
    const article: Record<string, unknown> = {};
    for (const field of STORED_FIELDS) if (source[field] !== undefined) article[field] = source[field];
    return article as unknown as StoredArticle;
  }

  upsertMany(articles: readonly StoredArticle[]): Promise<BulkResult> {
    return upsertCheckingEach(articles, (checked) => this.upsertChecked(checked));
  }

  async upsertChecked(articles: readonly Checked<StoredArticle>[]): Promise<BulkResult> {
    const written: string[] = [];
    const failed: BulkItemFailure[] = [];
    let pending = articles.map((article) => ({ id: article.id, document: this.toDocument(article) }));
    if (pending.length === 0) return { written, failed };

    // Backpressure: a bulk that Elasticsearch rejects as a whole (429, 5xx, unreachable) or in part
    // (items rejected with 429 when its write queue is full) is sent again after a capped,
    // jittered exponential backoff; only the rejected items go again, since a write is by id.
    const policy = retry(
      handleWhen((error) => error instanceof ItemsToRetry || isRetriableTransportError(error)),
      {
        maxAttempts: this.opts.maxAttempts - 1,
        backoff: new ExponentialBackoff({ initialDelay: this.opts.retryInitialDelayMs, maxDelay: this.opts.retryMaxDelayMs }),
      },
    );
    let lastItemErrors = new Map<string, ElasticStoreError>();
    try {
      await policy.execute(async () => {
        const response = await this.client.bulk(
          { operations: pending.flatMap(({ id, document }) => [{ index: { _index: this.alias, _id: id } }, document]) },
          { maxRetries: 0 },
        );
        const again: typeof pending = [];
        lastItemErrors = new Map();
        response.items.forEach((item, i) => {
          const result = item.index;
          const { id } = pending[i];
          if (result && !result.error && result.status < 300) {
            written.push(id);
            return;
          }
          const status = result?.status;
          const error = new ElasticStoreError(
            isRetriableAnswer(status) ? 'SEARCH_STORE_ITEM_REJECTED' : 'SEARCH_STORE_ITEM_INVALID',
            `Elasticsearch refused article ${id} (${status}): ${result?.error?.type ?? 'error'}: ${result?.error?.reason ?? 'no reason'}`,
            { retriable: isRetriableAnswer(status), status },
          );
          if (error.retriable) {
            again.push(pending[i]);
            lastItemErrors.set(id, error);
          } else failed.push({ id, error });
        });
        pending = again;
        if (again.length > 0) throw new ItemsToRetry(`${again.length} items rejected`);
      });
    } catch (error) {
      if (!(error instanceof ItemsToRetry)) throw unavailable('bulk write', error);
      for (const { id } of pending) failed.push({ id, error: lastItemErrors.get(id)! });
    }
    // One id written twice in a bulk is one document: report it once.
    return { written: [...new Set(written)], failed };
  }

  async get(id: string): Promise<StoredArticle | null> {
    try {
      const response = await this.client.get<ArticleDocument>(
        { index: this.alias, id, _source_excludes: TERM_FIELDS },
        { ignore: [404] },
      );
      return response.found && response._source ? this.fromSource(response._source) : null;
    } catch (error) {
      throw unavailable('get', error);
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const { page, size, offset } = pagingOf(query);
    const parsed = textQueryOf(query);
    const positive = parsed !== null && positiveLeaves(parsed.root).length > 0;
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (query.topics?.length) filter.push({ terms: { topicIds: query.topics } });
    if (query.sources?.length) filter.push({ terms: { sourceId: query.sources } });
    if (query.languages?.length) filter.push({ terms: { language: query.languages } });
    const { from, to } = dateRangeOf(query);
    if (from || to) filter.push({ range: { effectiveAt: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } });
    const byRelevance = positive && query.sort !== 'date';
    const collapsed = query.collapse === 'story';
    const terms = (field: string, bucketCount: number): estypes.AggregationsAggregationContainer => ({
      terms: { field, size: bucketCount, order: [{ _count: 'desc' }, { _key: 'asc' }] },
    });

    let response: estypes.SearchResponse<ArticleDocument>;
    try {
      response = await this.client.search<ArticleDocument>({
        index: this.alias,
        from: offset,
        size,
        track_total_hits: true,
        _source: { excludes: NOT_IN_HITS },
        query: {
          bool: {
            ...(parsed ? { must: [toElasticQuery(parsed, [{ name: 'title_terms', boost: this.titleBoost }, { name: 'text_terms' }])] } : {}),
            filter,
          },
        },
        sort: byRelevance ? ['_score', { effectiveAt: 'desc' }, { id: 'asc' }] : [{ effectiveAt: 'desc' }, { id: 'asc' }],
        // Collapsing picks each story's top document by this same sort, as the embedded store does.
        ...(collapsed ? { collapse: { field: 'storyKey' } } : {}),
        aggs: {
          topics: terms('topicIds', 50),
          sources: terms('sourceId', 100),
          languages: terms('language', 50),
          // Collapsing leaves hits.total counting documents; the rows are the distinct keys.
          ...(collapsed ? { rows: { cardinality: { field: 'storyKey', precision_threshold: ROW_COUNT_PRECISION } } } : {}),
        },
      });
    } catch (error) {
      throw unavailable('search', error);
    }
    const total = response.hits.total;
    const buckets = (name: string): FacetBucket[] =>
      ((response.aggregations?.[name] as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as estypes.AggregationsStringTermsBucket[] ?? []).map(
        (bucket) => ({ key: String(bucket.key), count: bucket.doc_count }),
      );
    const hits = response.hits.hits.map((hit) => {
      const article = this.fromSource(hit._source ?? {});
      return { article, score: byRelevance ? (hit._score ?? 0) : 0, highlights: positive ? highlightArticle(article, parsed) : {} };
    });
    const rows = (response.aggregations?.rows as estypes.AggregationsCardinalityAggregate | undefined)?.value;
    return {
      total: collapsed ? (rows ?? 0) : typeof total === 'number' ? total : (total?.value ?? 0),
      page,
      size,
      hits: collapsed ? withStoryRows(hits, await this.storyCounts(hits)) : hits,
      facets: { topics: buckets('topics'), sources: buckets('sources'), languages: buckets('languages') },
    };
  }

  /** Articles, languages and sources of the stories of these hits, over all their stored articles. */
  private async storyCounts(hits: SearchHit[]): Promise<Map<string, StoryCounts>> {
    const storyIds = [...new Set(hits.flatMap((hit) => (hit.article.storyId ? [hit.article.storyId] : [])))];
    const counts = new Map<string, StoryCounts>();
    if (storyIds.length === 0) return counts;
    type StoryBucket = { key: string; doc_count: number; languages: { buckets: { key: string }[] }; sources: { buckets: unknown[] } };
    let response: estypes.SearchResponse<unknown>;
    try {
      response = await this.client.search({
        index: this.alias,
        size: 0,
        query: { terms: { storyId: storyIds } },
        aggs: {
          stories: {
            terms: { field: 'storyId', size: storyIds.length },
            // terms, not cardinality, for sources: exact, and a story has few.
            aggs: { languages: { terms: { field: 'language', size: 50 } }, sources: { terms: { field: 'sourceId', size: 1000 } } },
          },
        },
      });
    } catch (error) {
      throw unavailable('story counts', error);
    }
    for (const bucket of (response.aggregations?.stories as { buckets: StoryBucket[] } | undefined)?.buckets ?? []) {
      counts.set(bucket.key, {
        articleCount: bucket.doc_count,
        languages: bucket.languages.buckets.map((language) => language.key),
        sourceCount: bucket.sources.buckets.length,
      });
    }
    return counts;
  }

  async setStories(stories: ReadonlyMap<string, string>): Promise<string[]> {
    if (stories.size === 0) return [];
    try {
      const result = await this.client.bulk({
        operations: [...stories].flatMap(([id, storyId]) => [
          { update: { _index: this.alias, _id: id, retry_on_conflict: 3 } },
          { doc: { storyId, storyKey: storyId } },
        ]),
      });
      const found: string[] = [];
      for (const item of result.items) {
        const outcome = item.update!;
        if (outcome.status === 404) continue;
        if (outcome.error) throw new Error(`article ${outcome._id}: ${outcome.error.reason ?? outcome.status}`);
        found.push(outcome._id!);
      }
      return found;
    } catch (error) {
      throw unavailable('story ids update', error);
    }
  }

  async updateTopics(id: string, topics: TopicMatch[], taxonomyVersion: string): Promise<boolean> {
    const parsed = TopicsSchema.safeParse(topics);
    if (!parsed.success) throw validationErrorFromZod(parsed.error, { context: 'topics', root: 'topics' });
    try {
      await this.client.update({
        index: this.alias,
        id,
        retry_on_conflict: 3,
        doc: {
          topics: parsed.data,
          topicIds: [...new Set(parsed.data.map((topic) => topic.id))],
          taxonomyVersion,
          classifiedAt: new Date().toISOString(),
        },
      });
      return true;
    } catch (error) {
      if (error instanceof errors.ResponseError && error.meta.statusCode === 404) return false;
      throw unavailable('update', error);
    }
  }

  /** Walks a point-in-time view in id order with search_after, so concurrent writes do not shift pages. */
  async *scan(pageSize: number): AsyncIterable<StoredArticle[]> {
    const size = Math.max(1, Math.floor(pageSize));
    let pit: string;
    try {
      pit = (await this.client.openPointInTime({ index: this.alias, keep_alive: '2m' })).id;
    } catch (error) {
      throw unavailable('open point in time', error);
    }
    try {
      let after: estypes.SortResults | undefined;
      for (;;) {
        let response: estypes.SearchResponse<ArticleDocument>;
        try {
          response = await this.client.search<ArticleDocument>({
            pit: { id: pit, keep_alive: '2m' },
            size,
            sort: [{ id: 'asc' }],
            track_total_hits: false,
            _source: { excludes: TERM_FIELDS },
            ...(after ? { search_after: after } : {}),
          });
        } catch (error) {
          throw unavailable('scan', error);
        }
        if (response.pit_id) pit = response.pit_id;
        const hits = response.hits.hits;
        if (hits.length === 0) return;
        yield hits.map((hit) => this.fromSource(hit._source ?? {}));
        after = hits[hits.length - 1].sort;
        if (hits.length < size) return;
      }
    } finally {
      await this.client.closePointInTime({ id: pit }).catch(() => undefined);
    }
  }

  async topicCountsByDay(from: string): Promise<TopicDayCount[]> {
    const { from: since } = dateRangeOf({ from });
    let response: estypes.SearchResponse<unknown>;
    try {
      response = await this.client.search({
        index: this.alias,
        size: 0,
        query: { range: { effectiveAt: { gte: since } } },
        aggs: {
          topics: {
            terms: { field: 'topicIds', size: 100 },
            aggs: { days: { date_histogram: { field: 'effectiveAt', calendar_interval: 'day', min_doc_count: 1, format: 'yyyy-MM-dd' } } },
          },
        },
      });
    } catch (error) {
      throw unavailable('topic counts', error);
    }
    type DayBucket = { key_as_string?: string; key: number; doc_count: number };
    type TopicBucket = { key: string; doc_count: number; days: { buckets: DayBucket[] } };
    const topics = (response.aggregations?.topics as { buckets: TopicBucket[] } | undefined)?.buckets ?? [];
    const counts: TopicDayCount[] = topics.flatMap((topic) =>
      topic.days.buckets.map((day) => ({
        topic: topic.key as TopicId,
        day: day.key_as_string ?? new Date(day.key).toISOString().slice(0, 10),
        count: day.doc_count,
      })),
    );
    return counts.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  async refresh(): Promise<void> {
    try {
      await this.client.indices.refresh({ index: this.alias });
    } catch (error) {
      throw unavailable('refresh', error);
    }
  }

  /** `GET /_cluster/health`: the client's ping() asks `HEAD /`, which this distribution answers with 405. */
  async health(): Promise<StoreHealth> {
    try {
      const cluster = await this.client.cluster.health({ timeout: '2s' }, { maxRetries: 0, requestTimeout: 5_000 });
      const { count } = await this.client.count({ index: this.alias }, { maxRetries: 0, requestTimeout: 5_000 });
      return { up: cluster.status !== 'red', detail: `cluster ${cluster.cluster_name} is ${cluster.status}`, documents: count };
    } catch (error) {
      return { up: false, detail: unavailable('health check', error).message };
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
