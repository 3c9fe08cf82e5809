import { TOPIC_IDS, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { z } from 'zod';
import { isoDateOrInstant, listOf, withAliases } from './query-string-fields';
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

/**
 * The query string of GET /stories, as GET /search reads its filters (`topics=a,b`, `topic=a&topic=b`,
 * `lang=en`). The API validates requests with it and its OpenAPI document is made from it.
 */
export const StoryListRequestSchema = z.preprocess(
  withAliases,
  z
    .strictObject({
      topics: listOf(z.enum(TOPIC_IDS, { message: `one of ${TOPIC_IDS.join(', ')}` }), 'Topic ids (any of); see GET /topics'),
      languages: listOf(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as en, ru, zh'), 'Language codes (any of): en, ru, zh, …'),
      from: isoDateOrInstant('With a report on or after (YYYY-MM-DD, or an ISO 8601 date-time with offset)'),
      to: isoDateOrInstant('With a report on or before (YYYY-MM-DD, or an ISO 8601 date-time with offset)'),
      limit: z.coerce.number().int().min(1).max(MAX_STORY_LIMIT).default(DEFAULT_STORY_LIMIT).meta({ description: `Stories per page (default ${DEFAULT_STORY_LIMIT})` }),
      cursor: z.string().max(1000).optional().meta({ format: 'story-cursor', description: 'nextCursor of the previous page (opaque)' }),
    })
    // `from` after `to` is no error: the range holds nothing, so the page is empty.
    .superRefine((query, ctx) => {
      if (query.cursor === undefined) return;
      try {
        decodeStoryCursor(query.cursor);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['cursor'], message: error.message.replace(/^cursor: /, '') });
      }
    }),
);

/**
 * Turns query-string parameters (GET /stories) into a StoryListQuery, as parseSearchRequest does
 * for GET /search; a bad parameter is a ValidationError naming it.
 */
export function parseStoryListRequest(params: Record<string, unknown>): StoryListQuery {
  const result = StoryListRequestSchema.safeParse(params);
  if (!result.success) throw validationErrorFromZod(result.error, { root: 'query', topLevel: true, unknownKey: 'unknown parameter' });
  return result.data;
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
