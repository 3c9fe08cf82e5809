/**
 * 5xx answers that say the request itself can never work on this server: 501 Not Implemented,
 * 505 HTTP Version Not Supported, 506 Variant Also Negotiates, 508 Loop Detected, 510 Not
 * Extended, 511 Network Authentication Required. Repeating the request only repeats the answer.
 */
const PERMANENT_SERVER_ERRORS: ReadonlySet<number> = new Set([501, 505, 506, 508, 510, 511]);

/**
 * Whether the same request may succeed later: 408 Request Timeout, 425 Too Early, 429 Too Many
 * Requests, and 5xx except the permanent ones above. Every other 4xx needs someone to change the
 * request or the server (a 404 stays a 404), so retrying it is wasted load on someone else's server.
 */
export function isRetriableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status < 600 && !PERMANENT_SERVER_ERRORS.has(status);
}

/** 429 and 503: the server says it is busy and may say for how long (Retry-After). */
export function asksToWait(status: number): boolean {
  return status === 429 || status === 503;
}
