import { Checked, StoredArticle, TopicId, TopicMatch } from '@monitor/contracts';

/**
 * The search port, shaped after Elasticsearch: bulk writes keyed by article id (a write of the
 * same id replaces the document, so redelivery never doubles it), per-item results of a bulk,
 * full-text search with filters, facets (terms aggregations) and highlights, and a scan for
 * re-classification. The embedded adapter (SQLite FTS5) and the Elasticsearch adapter both pass
 * the same contract suite.
 */
export const ARTICLE_STORE = Symbol('ARTICLE_STORE');

export interface BulkItemFailure {
  id: string;
  error: Error;
}

export interface BulkResult {
  /** Ids written (created or replaced). */
  written: string[];
  /** Items the store refused; the error says whether a retry may help (MonitorError.retriable). */
  failed: BulkItemFailure[];
}

export interface SearchQuery {
  /** Free text over title and text; absent means "everything that passes the filters". */
  q?: string;
  topics?: TopicId[];
  sources?: string[];
  languages?: string[];
  /** Inclusive ISO date-times over publishedAt (fetchedAt when an article has no date). */
  from?: string;
  to?: string;
  /** 1-based. */
  page?: number;
  size?: number;
  sort?: 'relevance' | 'date';
  /**
   * `story`: one row per story, the best-ranked matching article of each standing for it (an
   * article without a story is a row of its own); `total` then counts rows, not articles.
   */
  collapse?: 'story';
}

export interface FacetBucket {
  key: string;
  count: number;
}

export interface SearchHit {
  article: StoredArticle;
  score: number;
  /** HTML-escaped snippets in which the matched words are wrapped in <mark>...</mark>. */
  highlights: { title?: string[]; text?: string[] };
  /** With `collapse: 'story'`, the story this row stands for (absent for an article without one). */
  story?: StoryRowSummary;
}

/**
 * A collapsed row's story, counted over all its stored articles (not only those that matched), so
 * that a search filtered to English still says the story is also reported in Russian and Chinese.
 */
export interface StoryRowSummary {
  id: string;
  articleCount: number;
  /** Every language the story is reported in, sorted. */
  languages: string[];
  /** Those other than the language of the article standing for the story ("also in ru, zh"). */
  otherLanguages: string[];
  sourceCount: number;
}

export interface SearchResult {
  /** Matching articles; with `collapse: 'story'`, rows (stories plus articles without a story). */
  total: number;
  page: number;
  size: number;
  hits: SearchHit[];
  facets: { topics: FacetBucket[]; sources: FacetBucket[]; languages: FacetBucket[] };
}

export interface TopicDayCount {
  topic: TopicId;
  /** YYYY-MM-DD (UTC). */
  day: string;
  count: number;
}

export interface StoreHealth {
  up: boolean;
  detail?: string;
  documents?: number;
}

export interface ArticleStore {
  /** Creates the schema, index template or tables if missing (idempotent). */
  init(): Promise<void>;
  /**
   * Writes articles from any caller: each is validated first, and an invalid one fails alone with
   * a non-retriable ValidationError while the others are written.
   */
  upsertMany(articles: readonly StoredArticle[]): Promise<BulkResult>;
  /**
   * The same write for articles already checked in this process (the indexer's, checked when read
   * from the bus a moment before): parsing them again would find nothing new and cost a zod parse
   * and a copy of every article, and `Checked` lets only parsed values in.
   */
  upsertChecked(articles: readonly Checked<StoredArticle>[]): Promise<BulkResult>;
  get(id: string): Promise<StoredArticle | null>;
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Records the story of each stored article (storyId) in place, leaving the rest as it is, and
   * returns the ids it found; ids not stored yet are skipped. Both the indexer (after writing an
   * article) and the story stage (after recording a story) call it, so whichever comes second
   * finds the other's part: an article never stays without the story it was given.
   */
  setStories(stories: ReadonlyMap<string, string>): Promise<string[]>;
  /** Replaces an article's topics in place (re-classification); false when the id is unknown. */
  updateTopics(id: string, topics: TopicMatch[], taxonomyVersion: string): Promise<boolean>;
  /** Walks all stored articles in id order, a page at a time. */
  scan(pageSize: number): AsyncIterable<StoredArticle[]>;
  /** Articles per topic per UTC day since `from` (ISO), for charts and spike detection. */
  topicCountsByDay(from: string): Promise<TopicDayCount[]>;
  /** Makes every acknowledged write visible to search (Elasticsearch's refresh). */
  refresh(): Promise<void>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
