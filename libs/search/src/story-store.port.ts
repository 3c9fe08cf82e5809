import { StorySummary, TopicId } from '@monitor/contracts';

/**
 * The story store port: which story each article is in, and the stories as the API lists them.
 * The story stage is stateless: everything it decided is here, so the process that takes the
 * story queue over (a restart, the standby replica) rebuilds its window from this store alone.
 * The SQLite adapter and the Elasticsearch adapter both pass the same contract suite.
 */
export const STORY_STORE = Symbol('STORY_STORE');

/** One article's place in a story, with what assignment reads of the article. */
export interface StoryMember {
  articleId: string;
  storyId: string;
  /** Its position in the story queue (the offset): the order the assignments were decided in. */
  seq: number;
  title: string;
  text: string;
  url: string;
  language: string;
  sourceId: string;
  sourceName?: string;
  /** ISO date-time: the article's date, or when it was fetched. */
  publishedAt: string;
  topics: TopicId[];
}

/** An article as a story lists it. */
export interface StoryArticleRef {
  id: string;
  title: string;
  url: string;
  language: string;
  sourceId: string;
  sourceName?: string;
  publishedAt: string;
}

/** A story with its articles, oldest first. */
export interface StoryDetail extends StorySummary {
  articles: StoryArticleRef[];
}

export interface RecordedMember {
  articleId: string;
  /** The story the article is in now: the one offered, or the one it was given before. */
  storyId: string;
  /** That story after the write. */
  story: StorySummary;
}

export interface StoryListQuery {
  /** Stories with any of these topics. */
  topics?: TopicId[];
  /** Stories reported in any of these languages. */
  languages?: string[];
  /** Stories with an article on or after `from` and on or before `to` (inclusive ISO date-times). */
  from?: string;
  to?: string;
  limit?: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

export interface StoryPage {
  /** Latest article first (lastSeen descending, then id). */
  stories: StorySummary[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface StoryStore {
  /** Creates the tables or indices if missing (idempotent). */
  init(): Promise<void>;
  /**
   * Records members in order. An article that has a story keeps it (the first write wins), so a
   * replay of the queue re-stores the same assignments and doubles nothing.
   */
  record(members: readonly StoryMember[]): Promise<RecordedMember[]>;
  /** The story of each of these articles that has one. */
  storiesOf(articleIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * The members published within `windowMs` of the latest one, in the order they were recorded:
   * what a new assigner remembers to decide on as the last one would have.
   */
  window(windowMs: number): Promise<StoryMember[]>;
  get(storyId: string): Promise<StoryDetail | null>;
  list(query: StoryListQuery): Promise<StoryPage>;
  /** Makes every acknowledged write visible to list() (Elasticsearch's refresh). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}
