import { TOPIC_IDS, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { z } from 'zod';
import { MAX_QUERY_LENGTH, textQueryOf } from './search-paging';
import { SearchQuery } from './search.port';
import { isoDateOrInstant, listOf, withAliases } from './query-string-fields';

/**
 * The query string of GET /search. The API validates requests with it and its OpenAPI document is
 * made from it. Lists come as `topics=a,b` or `topics=a&topics=b` (or `topic=`); `q` is the query
 * language of @monitor/query, which no JSON Schema can state, so a `q` the parser cannot read is
 * refused here, naming `q`.
 */
export const SearchRequestSchema = z.preprocess(
  withAliases,
  z
    .strictObject({
      q: z
        .string()
        .max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`)
        .optional()
        .meta({
          format: 'monitor-query',
          description:
            'Words (all must match), "quoted phrases", OR, -excluded, prefix*, ( ); the language of a subscription\'s `query`. Empty: everything that passes the filters',
        }),
      topics: listOf(z.enum(TOPIC_IDS, { message: `one of ${TOPIC_IDS.join(', ')}` }), 'Topic ids (any of); see GET /topics'),
      sources: listOf(z.string().max(64).regex(/^[a-z0-9-]+$/, 'a source id'), 'Source ids (any of); see GET /sources'),
      languages: listOf(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as en, ru, zh'), 'Language codes (any of): en, ru, zh, …'),
      from: isoDateOrInstant('Published on or after (YYYY-MM-DD, or an ISO 8601 date-time with offset)'),
      to: isoDateOrInstant('Published on or before (YYYY-MM-DD, or an ISO 8601 date-time with offset)'),
      page: z.coerce.number().int().min(1).max(1000).default(1).meta({ description: '1-based page number' }),
      size: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Hits per page' }),
      sort: z.enum(['relevance', 'date']).optional().meta({ description: 'relevance (the default with `q`) or newest first' }),
      collapse: z.enum(['story'], { message: 'story (or leave it out for one row per article)' }).optional().meta({
        description:
          'story: one row per story, its best-ranked matching article standing for it, with `story` ({ id, articleCount, languages, otherLanguages, sourceCount }, counted over the whole story); an article without a story is a row of its own. `total` and the pages then count rows; facets still count articles',
      }),
    })
    // `from` after `to` is no error: the range holds nothing, so the answer is empty.
    .superRefine((query, ctx) => {
      try {
        // A query the stores could not read is the client's mistake, answered before any store is asked.
        textQueryOf(query);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['q'], message: error.message.replace(/^q: /, '') });
      }
    })
    .transform((query): SearchQuery => {
      if (query.q !== undefined && query.q.trim() === '') delete query.q;
      return query;
    }),
);

/**
 * Turns query-string parameters (GET /search) into a SearchQuery. A bad parameter is a
 * ValidationError naming it, which the API answers with 400.
 */
export function parseSearchRequest(params: Record<string, unknown>): SearchQuery {
  const result = SearchRequestSchema.safeParse(params);
  if (!result.success) throw validationErrorFromZod(result.error, { root: 'query', topLevel: true, unknownKey: 'unknown parameter' });
  return result.data;
}
