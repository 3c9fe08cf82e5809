import { MonitorError } from '@monitor/contracts';

/**
 * Every way reading a source can fail, as MonitorError subclasses with stable codes. The poller
 * shows `code` and `message` in a source's health; `retriable` says whether the same request may
 * succeed later (network trouble, 5xx, rate limits) or needs an operator (404, not a feed).
 */
export class FetchError extends MonitorError {
  constructor(
    code: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown; readonly url?: string; readonly status?: number } = {},
  ) {
    super(code, message, { retriable: options.retriable, cause: options.cause });
    this.url = options.url;
    this.status = options.status;
  }
  readonly url?: string;
  readonly status?: number;
}

/** 429 or 503: the server asked us to wait; `retryAfterMs` is how long it asked for (if it said). */
export class FetchRateLimitedError extends FetchError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    options: { url?: string; status?: number } = {},
  ) {
    super('FETCH_RATE_LIMITED', message, { retriable: true, ...options });
  }
}

/** The site's robots.txt disallows the URL for the collector's user agent: it was not fetched. */
export class RobotsDisallowedError extends FetchError {
  constructor(message: string, options: { url: string }) {
    super('ROBOTS_DISALLOWED', message, { retriable: false, url: options.url });
  }
}

/**
 * The site's robots.txt could not be read (5xx, 429, no answer): RFC 9309 says to assume that
 * everything is disallowed, so nothing on that site is fetched until it can be read.
 */
export class RobotsUnreachableError extends FetchError {
  constructor(message: string, options: { url: string; status?: number; cause?: unknown }) {
    super('ROBOTS_UNREACHABLE', message, { retriable: true, ...options });
  }
}

export class FeedParseError extends MonitorError {
  constructor(code: 'FEED_EMPTY' | 'FEED_NOT_A_FEED' | 'FEED_MALFORMED' | 'FEED_TOO_LARGE', message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retriable: false, cause: options.cause });
  }
}

export class ListingError extends MonitorError {
  constructor(code: 'LISTING_EMPTY' | 'ARTICLE_EMPTY', message: string) {
    super(code, message, { retriable: false });
  }
}

export class SourceConfigError extends MonitorError {
  constructor(message: string, readonly field?: string, options: { cause?: unknown } = {}) {
    super('SOURCES_INVALID', message, { retriable: false, cause: options.cause });
  }
}
