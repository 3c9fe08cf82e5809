import { TOPIC_IDS, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { z } from 'zod';
import { MAX_QUERY_LENGTH, textQueryOf } from './search-paging';
import { SearchQuery } from './search.port';

// Each value as the client wrote it: `topics=` is one empty (so invalid) topic, not no filter, and
// `topics=a,,b` has an empty one in the middle, as the document's array of ids says.
const list = (value: unknown) => (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));

const listOf = <T extends z.ZodType>(item: T, description: string) => z.preprocess(list, z.array(item)).optional().meta({ description });

// A day or an ISO 8601 instant with its offset, as the JSON Schema of the OpenAPI document states
// it: what Date.parse would also take ("March 2026", "2026") is refused, not guessed at.
const isoDateOrInstant = (description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (YYYY-MM-DD) or an ISO 8601 date-time with offset' })
    .transform((value) => new Date(value).toISOString())
    .optional()
    .meta({ description });

// Other spellings clients use for the list filters (`topic=a&topic=b`, `lang=en`).
const ALIASES: Record<string, string> = { topic: 'topics', source: 'sources', language: 'languages', lang: 'languages' };

function withAliases(params: unknown): unknown {
  if (!params || typeof params !== 'object') return params;
  const normalised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = ALIASES[key] ?? key;
    normalised[name] = normalised[name] === undefined ? value : list(normalised[name]).concat(list(value));
  }
  return normalised;
}

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
