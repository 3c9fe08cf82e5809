import { MonitorError, ValidationError } from '@monitor/contracts';
import { ParsedQuery, parseQuery } from '@monitor/query';
import { SearchQuery } from './search.port';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Elasticsearch's default index.max_result_window; the embedded store keeps the same limit. */
export const MAX_RESULT_WINDOW = 10_000;

/**
 * A page past the first MAX_RESULT_WINDOW results, which no store serves (page × size is over it):
 * there is no such page to answer (404), whatever the request's parameters are each within limits.
 */
export class PageBeyondWindowError extends MonitorError {
  constructor(page: number, size: number) {
    super('PAGE_NOT_FOUND', `page: only the first ${MAX_RESULT_WINDOW} results can be paged through (page ${page} of ${size} ends at ${page * size})`);
  }
}

export interface Paging {
  page: number;
  size: number;
  offset: number;
}

/** Page and size of a query, clamped the same way by both adapters. */
export function pagingOf(query: SearchQuery): Paging {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.size ?? DEFAULT_PAGE_SIZE)));
  const offset = (page - 1) * size;
  if (offset + size > MAX_RESULT_WINDOW) throw new PageBeyondWindowError(page, size);
  return { page, size, offset };
}

/** The date range of a query as UTC ISO strings (inclusive bounds). */
export function dateRangeOf(query: SearchQuery): { from?: string; to?: string } {
  const iso = (value: string, field: string) => {
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw new ValidationError(`${field}: not a date`, field);
    return new Date(time).toISOString();
  };
  return {
    ...(query.from ? { from: iso(query.from, 'from') } : {}),
    ...(query.to ? { to: iso(query.to, 'to') } : {}),
  };
}

/** Longest `q` accepted, as the HTTP request schema (search-request.ts) also says. */
export const MAX_QUERY_LENGTH = 500;

/** The parsed `q` of a query (the language of @monitor/query), or null when there is none. */
export function textQueryOf(query: SearchQuery): ParsedQuery | null {
  if (query.q === undefined || query.q.trim() === '') return null;
  return parseQuery(query.q, { field: 'q', maxLength: MAX_QUERY_LENGTH });
}
