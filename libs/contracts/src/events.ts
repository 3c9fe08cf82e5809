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

/** news.classified.v1: a cleaned, language-tagged, topic-classified article. */
export const ClassifiedArticleSchema = z.object({
  schema: z.literal('news.classified.v1'),
  id: articleId,
  sourceId: z.string().min(1),
  sourceName: z.string().optional(),
  url: z.string().url(),
  title: z.string(),
  text: z.string(),
  language: z.string(),
  publishedAt: isoDate.nullable(),
  fetchedAt: isoDate,
  classifiedAt: isoDate,
  taxonomyVersion: z.string(),
  topics: z.array(TopicMatchSchema),
});
export type ClassifiedArticle = z.infer<typeof ClassifiedArticleSchema>;

/** alerts.v1: one alert for one subscription and one article (its id says which, so it is unique). */
export const AlertSchema = z.object({
  schema: z.literal('alerts.v1'),
  id: z.string().min(1),
  kind: z.enum(['article', 'spike']),
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
  createdAt: isoDate,
});
export type Alert = z.infer<typeof AlertSchema>;

export const EVENT_SCHEMAS = {
  'news.raw.v1': RawArticleSchema,
  'news.classified.v1': ClassifiedArticleSchema,
  'alerts.v1': AlertSchema,
} as const;

export type EventFor<T extends keyof typeof EVENT_SCHEMAS> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/**
 * Validates an event against its topic's schema, at both ends of the bus. The error names the
 * first offending field so that a dead-letter reason is readable.
 */
export function parseEvent<T extends keyof typeof EVENT_SCHEMAS>(topic: T, value: unknown): EventFor<T> {
  const result = EVENT_SCHEMAS[topic].safeParse(value);
  if (!result.success) throw validationErrorFromZod(result.error, { context: topic });
  return result.data as EventFor<T>;
}
