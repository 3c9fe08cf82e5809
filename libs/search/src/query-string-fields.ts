/**
 * Fields of the query strings of the list endpoints (GET /search, GET /stories), written once so
 * that both read lists, aliases and dates alike and their OpenAPI documents say the same.
 */
import { z } from 'zod';

// Each value as the client wrote it: `topics=` is one empty (so invalid) topic, not no filter, and
// `topics=a,,b` has an empty one in the middle, as the document's array of ids says.
export const list = (value: unknown) => (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(','));

export const listOf = <T extends z.ZodType>(item: T, description: string) => z.preprocess(list, z.array(item)).optional().meta({ description });

// A day or an ISO 8601 instant with its offset, as the JSON Schema of the OpenAPI document states
// it: what Date.parse would also take ("March 2026", "2026") is refused, not guessed at.
export const isoDateOrInstant = (description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (YYYY-MM-DD) or an ISO 8601 date-time with offset' })
    .transform((value) => new Date(value).toISOString())
    .optional()
    .meta({ description });

// Other spellings clients use for the list filters (`topic=a&topic=b`, `lang=en`).
const ALIASES: Record<string, string> = { topic: 'topics', source: 'sources', language: 'languages', lang: 'languages' };

export function withAliases(params: unknown): unknown {
  if (!params || typeof params !== 'object') return params;
  const normalised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = ALIASES[key] ?? key;
    normalised[name] = normalised[name] === undefined ? value : list(normalised[name]).concat(list(value));
  }
  return normalised;
}

