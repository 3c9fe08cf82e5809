import { TOPIC_IDS, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { z } from 'zod';
import { StoryArticleRef, StoryListQuery, StoryMember } from './story-store.port';

export const DEFAULT_STORY_LIMIT = 20;
export const MAX_STORY_LIMIT = 100;

/** Where a page of stories ended: the last story's lastSeen and id (the order of the list). */
export interface StoryCursor {
  lastSeen: string;
  id: string;
}

/** Opaque to clients: base64url of the position, so its shape may change without a new parameter. */
export function encodeStoryCursor(cursor: StoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastSeen, cursor.id])).toString('base64url');
}

export function decodeStoryCursor(value: string): StoryCursor {
  try {
    const [lastSeen, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastSeen === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(lastSeen))) return { lastSeen, id };
  } catch {
    // reported below, with what was expected
  }
  throw new ValidationError('cursor: not a cursor from a previous page (nextCursor)', 'cursor');
}

const list = (value: unknown) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);

const isoDateOrDay = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'a date (YYYY-MM-DD or ISO 8601)')
  .transform((value) => new Date(value).toISOString());

const StoryListRequestSchema = z
  .object({
    topics: z.preprocess(list, z.array(z.enum(TOPIC_IDS, { message: `one of ${TOPIC_IDS.join(', ')}` }))).optional(),
    languages: z.preprocess(list, z.array(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as en, ru, zh'))).optional(),
    from: isoDateOrDay.optional(),
    to: isoDateOrDay.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_STORY_LIMIT).default(DEFAULT_STORY_LIMIT),
    cursor: z.string().max(1000).optional(),
  })
  .strict();

/**
 * Turns query-string parameters (GET /stories) into a StoryListQuery, as parseSearchRequest does
 * for GET /search: `topic=a&topic=b` or `topics=a,b`; a bad parameter is a ValidationError naming it.
 */
export function parseStoryListRequest(params: Record<string, unknown>): StoryListQuery {
  const aliases: Record<string, string> = { topic: 'topics', language: 'languages', lang: 'languages' };
  const normalised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    const name = aliases[key] ?? key;
    normalised[name] = normalised[name] === undefined ? value : list(normalised[name]).concat(list(value));
  }
  const result = StoryListRequestSchema.safeParse(normalised);
  if (!result.success) throw validationErrorFromZod(result.error, { root: 'query', topLevel: true, unknownKey: 'unknown parameter' });
  const query = result.data;
  if (query.from && query.to && query.from > query.to) throw new ValidationError('from: must not be after to', 'from');
  if (query.cursor) decodeStoryCursor(query.cursor);
  return query;
}

/** The page size of a query, clamped the same way by both adapters. */
export function storyLimitOf(query: StoryListQuery): number {
  return Math.min(MAX_STORY_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_STORY_LIMIT)));
}

/** An article as a story lists it, from its stored membership. */
export function storyArticleRefOf(member: StoryMember): StoryArticleRef {
  return {
    id: member.articleId,
    title: member.title,
    url: member.url,
    language: member.language,
    sourceId: member.sourceId,
    ...(member.sourceName ? { sourceName: member.sourceName } : {}),
    publishedAt: member.publishedAt,
  };
}
