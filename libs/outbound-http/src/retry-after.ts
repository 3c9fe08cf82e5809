/**
 * Longest wait a Retry-After header can impose: a server asking for days is asked again after
 * this long, which is also the feed poller's longest backoff.
 */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60_000;

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds: `delay-seconds` (digits only) or an HTTP-date,
 * a date in the past meaning now; capped at `capMs`. Anything else (a negative or fractional
 * number, a word) is no hint at all, so the caller's own backoff decides.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now(), capMs = MAX_RETRY_AFTER_MS): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Math.min(capMs, Number(trimmed) * 1000);
  // Date.parse also reads the obsolete RFC 850 and asctime forms HTTP-date still allows.
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || /^[-+.\d\s]+$/.test(trimmed)) return undefined;
  return Math.min(capMs, Math.max(0, date - now));
}
