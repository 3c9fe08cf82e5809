import { z } from 'zod';
import { TOPIC_IDS } from './topics';
import { ARTICLE_ID_PATTERN } from './article-id';
import { validationErrorFromZod } from './validation-error-from-zod';

const isoDate = z.string().datetime({ offset: true });
const articleId = z.string().regex(ARTICLE_ID_PATTERN, 'an article id (a + 31 hex digits)');

/** news.raw.v1: one item as the collector read it, before any cleaning. */
export const RawArticleSchema = z.object({
  schema: z.literal('news.raw.v1'),
  id: articleId,
  sourceId: z.string().min(1),
  sourceName: z.string().optional(),
  url: z.string().url(),
  guid: z.string().optional(),
  title: z.string(),
  /** Body as the feed or page gave it, sanitised by the collector; `contentType` says whether it is HTML. */
  content: z.string(),
  contentType: z.enum(['html', 'text']),
  /**
   * The body as plain text, converted once by the collector: every later stage reads this and
   * none converts HTML again.
   */
  text: z.string(),
  /** The language the source declares (feed or configuration), if any. */
  declaredLanguage: z.string().optional(),
  publishedAt: isoDate.nullable(),
  fetchedAt: isoDate,
});
export type RawArticle = z.infer<typeof RawArticleSchema>;

export const EvidenceSchema = z.object({
  term: z.string(),
  field: z.enum(['title', 'text']),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  weight: z.number().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const TopicMatchSchema = z.object({
  id: z.enum(TOPIC_IDS),
  score: z.number(),
  evidence: z.array(EvidenceSchema),
});
export type TopicMatch = z.infer<typeof TopicMatchSchema>;

/**
 * An article as the monitor keeps it after classification: what the search stores hold and
 * return (`GET /articles/:id`), and the body of news.classified.v1 (which adds only `schema`).
 */
export const StoredArticleSchema = z.object({
  id: articleId,
  sourceId: z.string().min(1),
  sourceName: z.string().optional(),
  url: z.string().url(),
  title: z.string(),
  text: z.string(),
  /**
   * The feed's body as sanitised HTML (sanitize-html, at the collector), for display only: search
   * and classification read `text`. Absent when the feed gave plain text, and on articles stored
   * before it was kept.
   */
  html: z.string().optional(),
  language: z.string(),
  publishedAt: isoDate.nullable(),
  fetchedAt: isoDate,
  classifiedAt: isoDate,
  taxonomyVersion: z.string(),
  topics: z.array(TopicMatchSchema),
  /**
   * The story the article belongs to (stories.v1), recorded on the stored article once both the
   * article and its story exist; absent before, and never carried by news.classified.v1.
   */
  storyId: z.string().optional(),
});
export type StoredArticle = z.infer<typeof StoredArticleSchema>;

/** news.classified.v1: a cleaned, language-tagged, topic-classified article. */
export const ClassifiedArticleSchema = StoredArticleSchema.extend({ schema: z.literal('news.classified.v1') });
export type ClassifiedArticle = z.infer<typeof ClassifiedArticleSchema>;

/** A story as listed: one real-world event and who reported it, in which languages, when. */
export const StorySummarySchema = z.object({
  id: z.string().min(1),
  /** The title of the article that opened the story. */
  title: z.string(),
  articleCount: z.number().int().positive(),
  languages: z.array(z.string()),
  sources: z.array(z.string()),
  topics: z.array(z.enum(TOPIC_IDS)),
  firstSeen: isoDate,
  lastSeen: isoDate,
});
export type StorySummary = z.infer<typeof StorySummarySchema>;

/**
 * alerts.v1: one alert for one subscription and one subject, which its id says, so it is unique:
 * - `article`: an article matched a per-article subscription;
 * - `story`: a story first matched a per-story subscription (`articleId` is the article that made
 *   it match, `storyId` and `story` say which story);
 * - `story.updated`: a later article of a story already alerted, for a per-story subscription
 *   that asked for updates;
 * - `spike`: a topic's daily count jumped.
 */
export const AlertSchema = z.object({
  schema: z.literal('alerts.v1'),
  id: z.string().min(1),
  kind: z.enum(['article', 'story', 'story.updated', 'spike']),
  subscriptionId: z.string().min(1),
  ownerKeyId: z.string().min(1),
  articleId: articleId.optional(),
  title: z.string(),
  url: z.string().url().optional(),
  sourceId: z.string().optional(),
  /** The source's name as the article carried it, so that whichever process sends the alert can name it. */
  sourceName: z.string().optional(),
  language: z.string().optional(),
  publishedAt: isoDate.nullable().optional(),
  topics: z.array(TopicMatchSchema),
  /** For spike alerts: the articles behind the jump. */
  related: z.array(z.object({ id: articleId, title: z.string(), url: z.string().url() })).optional(),
  /** For story alerts, and article alerts whose story was known: the story's id. */
  storyId: z.string().min(1).optional(),
  /** For story and story.updated alerts: the story as it stood when the alert was raised. */
  story: StorySummarySchema.optional(),
  createdAt: isoDate,
});
export type Alert = z.infer<typeof AlertSchema>;

/**
 * What story assignment and the alerts on stories read of a classified article: the stored
 * article without its display HTML (nobody downstream shows it) and without a story id (it has
 * none yet).
 */
export const StoryQueueArticleSchema = StoredArticleSchema.omit({ html: true, storyId: true });
export type StoryQueueArticle = z.infer<typeof StoryQueueArticleSchema>;

/**
 * stories.queue.v1: a classified article relayed into the one partition that orders all of them.
 * It carries the whole classified article (topics with scores, text, source, language), since
 * story.assigned passes it on to the alerter, which matches per-story subscriptions on it.
 */
export const StoryQueueItemSchema = StoryQueueArticleSchema.extend({ schema: z.literal('stories.queue.v1') });
export type StoryQueueItem = z.infer<typeof StoryQueueItemSchema>;


/**
 * stories.v1 (story.assigned): the story an article belongs to, keyed by the article. `id` is the
 * article id, as every event of the pipeline is keyed and traced by its id; one article has one
 * story, so a repeat (a replay, a re-classification) says the same again.
 */
export const StoryAssignedSchema = z.object({
  schema: z.literal('stories.v1'),
  type: z.literal('story.assigned'),
  id: articleId,
  articleId,
  storyId: z.string().min(1),
  /** True when this article opened the story. */
  created: z.boolean(),
  story: StorySummarySchema,
  /** The article itself, as classified: what the alerter matches per-story subscriptions against. */
  article: StoryQueueArticleSchema,
});
export type StoryAssigned = z.infer<typeof StoryAssignedSchema>;

export const EVENT_SCHEMAS = {
  'news.raw.v1': RawArticleSchema,
  'news.classified.v1': ClassifiedArticleSchema,
  'alerts.v1': AlertSchema,
  'stories.queue.v1': StoryQueueItemSchema,
  'stories.v1': StoryAssignedSchema,
} as const;

export type EventFor<T extends keyof typeof EVENT_SCHEMAS> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

declare const checkedBrand: unique symbol;

/**
 * A value that passed its zod schema in this process. Only the parse functions of this module make
 * one, so code that takes `Checked<T>` (a store's write from the indexer, say) can skip a second
 * parse and the compiler still refuses a value nobody checked. Purely a type: nothing at run time.
 */
export type Checked<T> = T & { readonly [checkedBrand]: true };

/**
 * Validates an event against its topic's schema, at both ends of the bus. The error names the
 * first offending field so that a dead-letter reason is readable.
 */
export function parseEvent<T extends keyof typeof EVENT_SCHEMAS>(topic: T, value: unknown): Checked<EventFor<T>> {
  const result = EVENT_SCHEMAS[topic].safeParse(value);
  if (!result.success) throw validationErrorFromZod(result.error, { context: topic });
  return result.data as Checked<EventFor<T>>;
}

/** Validates an article offered to a search store by a caller the store cannot vouch for. */
export function parseStoredArticle(value: unknown): Checked<StoredArticle> {
  const result = StoredArticleSchema.safeParse(value);
  if (!result.success) throw validationErrorFromZod(result.error, { context: 'article' });
  return result.data as Checked<StoredArticle>;
}

/** The stored form of a checked news.classified.v1 event: the same fields without `schema`, still checked. */
export function storedArticleOf(event: Checked<ClassifiedArticle>): Checked<StoredArticle> {
  const { schema: _schema, ...article } = event;
  return article as Checked<StoredArticle>;
}
