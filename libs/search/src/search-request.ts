import { TOPIC_IDS, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { z } from 'zod';
import { MAX_QUERY_LENGTH, textQueryOf } from './search-paging';
import { SearchQuery } from './search.port';

const list = (value: unknown) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);

const isoDateOrDay = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'a date (YYYY-MM-DD or ISO 8601)')
  .transform((value) => new Date(value).toISOString());

const SearchRequestSchema = z
  .object({
    q: z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`).optional(),
    topics: z.preprocess(list, z.array(z.enum(TOPIC_IDS, { message: `one of ${TOPIC_IDS.join(', ')}` }))).optional(),
    sources: z.preprocess(list, z.array(z.string().regex(/^[a-z0-9-]+$/, 'a source id'))).optional(),
    languages: z.preprocess(list, z.array(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as en, ru, zh'))).optional(),
    from: isoDateOrDay.optional(),
    to: isoDateOrDay.optional(),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    size: z.coerce.number().int().min(1).max(100).default(20),
    sort: z.enum(['relevance', 'date']).optional(),
  })
  .strict();

/**
 * Turns query-string parameters (GET /search) into a SearchQuery. Accepts both `topic=a&topic=b`
 * and `topics=a,b`. A bad parameter is a ValidationError naming it, which the API answers with 400.
 */
export function parseSearchRequest(params: Record<string, unknown>): SearchQuery {
  const aliases: Record<string, string> = { topic: 'topics', source: 'sources', language: 'languages', lang: 'languages' };
  const normalised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    const name = aliases[key] ?? key;
    normalised[name] = normalised[name] === undefined ? value : list(normalised[name]).concat(list(value));
  }
  const result = SearchRequestSchema.safeParse(normalised);
  if (!result.success) throw validationErrorFromZod(result.error, { root: 'query', topLevel: true, unknownKey: 'unknown parameter' });
  const query = result.data;
  if (query.from && query.to && query.from > query.to) throw new ValidationError('from: must not be after to', 'from');
  if (query.q !== undefined && query.q.trim() === '') delete query.q;
  // A query the stores could not read is the client's mistake, answered before any store is asked.
  textQueryOf(query);
  return query;
}
