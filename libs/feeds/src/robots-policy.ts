import robotsParser from 'robots-parser';
import { FetchError, FetchRateLimitedError, RobotsDisallowedError, RobotsUnreachableError } from './feed-errors';
import type { FetchOptions, FetchResult } from './feed-fetcher';

type Robots = ReturnType<typeof robotsParser>;

export interface RobotsFetcher {
  fetch(url: string, options?: FetchOptions): Promise<FetchResult>;
}

export interface RobotsPolicyOptions {
  /** The collector's own fetcher, so robots.txt goes through the same address policy, limits and redirects. */
  fetcher: RobotsFetcher;
  /** The User-Agent the collector sends; robots.txt groups are matched by its product token. */
  userAgent: string;
  /** Runs the robots.txt request in the host's politeness queue (default: at once). */
  schedule?: <T>(url: string, task: () => Promise<T>) => Promise<T>;
  /** How long a robots.txt read (or a 4xx "there is none") is trusted: RFC 9309 says at most 24 hours. */
  ttlMs?: number;
  /** How long an origin whose robots.txt could not be read counts as disallowed before it is asked again. */
  unreachableTtlMs?: number;
  /** Most origins remembered; the least recently read are forgotten first. */
  maxOrigins?: number;
  now?: () => number;
}

/** What a fetch may go ahead with: the site's Crawl-delay for this user agent, if it set one. */
export interface RobotsPermission {
  crawlDelayMs?: number;
}

/** RFC 9309: a crawler must parse at least the first 500 KiB; what follows is ignored (as Google does). */
const MAX_ROBOTS_CHARS = 500 * 1024;

/** A Crawl-delay is honoured up to this: larger values would hold a poll (and a shutdown) for that long. */
export const MAX_CRAWL_DELAY_MS = 30_000;

const DAY_MS = 24 * 60 * 60 * 1000;

interface OriginRules {
  /** The parsed file; `allow-all` when there is none (4xx); undefined when it could not be read and nothing older is known. */
  rules: Robots | 'allow-all' | undefined;
  /** Why it could not be read, when it could not; `answered` false when the site gave no HTTP answer at all. */
  unreachable?: { problem: string; answered: boolean; error: FetchError };
  expiresAt: number;
}

/**
 * robots.txt, read once per origin and kept for a day (RFC 9309), checked before the collector
 * crawls a page: HTML listings and article pages. Feeds are not checked: a feed is published for
 * programs to read, sites commonly disallow their feed paths to keep search engines from indexing
 * them, and a feed reader (Google's Feedfetcher among them) fetches them anyway; the operator named
 * each feed URL in the sources file.
 *
 * Errors follow RFC 9309 section 2.3.1: a 4xx (no robots.txt for us) allows everything, as do more
 * redirects than the fetcher follows; a 5xx, 429 or no answer at all means complete disallow for
 * `unreachableTtlMs`, unless an earlier copy is known, which is then used (section 2.4). The
 * matching itself is `robots-parser` (Google's longest-match rule, wildcards, `$`), a well-kept
 * package, rather than hand-written.
 */
export class RobotsPolicy {
  private readonly cache = new Map<string, OriginRules>();
  private readonly loading = new Map<string, Promise<OriginRules>>();
  private readonly token: string;
  private readonly ttlMs: number;
  private readonly unreachableTtlMs: number;
  private readonly maxOrigins: number;
  private readonly now: () => number;

  constructor(private readonly options: RobotsPolicyOptions) {
    this.token = robotsProductToken(options.userAgent);
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.unreachableTtlMs = options.unreachableTtlMs ?? 10 * 60_000;
    // A parsed robots.txt may be up to 500 KiB of rules; an origin forgotten is only read again.
    this.maxOrigins = options.maxOrigins ?? 256;
    this.now = options.now ?? Date.now;
  }

  /** The product token robots.txt groups are matched against (`User-agent: <token>`). */
  get productToken(): string {
    return this.token;
  }

  /**
   * Resolves with the site's Crawl-delay when the collector may fetch `url`; throws
   * RobotsDisallowedError (ROBOTS_DISALLOWED) when robots.txt disallows it, RobotsUnreachableError
   * (ROBOTS_UNREACHABLE) while robots.txt cannot be read, or the fetcher's own error when the site
   * does not answer at all (FETCH_NETWORK, FETCH_TIMEOUT, FETCH_ADDRESS_REFUSED).
   */
  async check(url: string): Promise<RobotsPermission> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return {}; // not a URL: the fetcher refuses it with its own FETCH_BAD_URL
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return {}; // no robots.txt; the fetcher refuses it too
    const origin = parsed.origin;
    const robotsUrl = `${origin}/robots.txt`;
    const entry = await this.rulesFor(origin, robotsUrl);
    if (entry.rules === undefined) {
      const { unreachable } = entry as Required<OriginRules>;
      // No answer at all: the page would fail the same way, and the fetcher's own error (naming robots.txt) says why.
      if (!unreachable.answered) throw unreachable.error;
      throw new RobotsUnreachableError(
        `not fetched: ${url}: ${robotsUrl} could not be read (${unreachable.problem}); RFC 9309 counts the whole site as disallowed until it can be, next try after ${new Date(entry.expiresAt).toISOString()}`,
        { url, status: unreachable.error.status, cause: unreachable.error },
      );
    }
    if (entry.rules === 'allow-all') return {};
    if (entry.rules.isAllowed(url, this.token) === false) {
      const line = entry.rules.getMatchingLineNumber(url, this.token);
      throw new RobotsDisallowedError(`not fetched: ${robotsUrl} disallows ${url} for ${this.token}${line > 0 ? ` (line ${line})` : ''}`, { url });
    }
    const delay = entry.rules.getCrawlDelay(this.token);
    return delay !== undefined && Number.isFinite(delay) && delay > 0 ? { crawlDelayMs: Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) } : {};
  }

  private async rulesFor(origin: string, robotsUrl: string): Promise<OriginRules> {
    const cached = this.cache.get(origin);
    if (cached && cached.expiresAt > this.now()) return cached;
    // Sources on one site polled at once share one read.
    let loading = this.loading.get(origin);
    if (!loading) {
      loading = this.load(robotsUrl, cached).finally(() => this.loading.delete(origin));
      this.loading.set(origin, loading);
    }
    const entry = await loading;
    this.remember(origin, entry);
    return entry;
  }

  private async load(robotsUrl: string, previous: OriginRules | undefined): Promise<OriginRules> {
    const schedule = this.options.schedule ?? ((_url, task) => task());
    try {
      const result = await schedule(robotsUrl, () => this.options.fetcher.fetch(robotsUrl, { accept: 'text/plain, */*;q=0.5' }));
      // No validators are sent, so a 304 is a server's oddity: there is nothing to compare it with.
      const text = result.status === 'ok' ? result.text : '';
      return { rules: robotsParser(robotsUrl, firstPart(text)), expiresAt: this.now() + this.ttlMs };
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      if (isUnavailable(error)) return { rules: 'allow-all', expiresAt: this.now() + this.ttlMs };
      // Refused by the address policy or not a URL: the page itself would be refused the same way, and asking again costs nothing.
      if (error.code === 'FETCH_ADDRESS_REFUSED' || error.code === 'FETCH_BAD_URL') {
        return { rules: undefined, unreachable: { problem: error.message, answered: false, error }, expiresAt: 0 };
      }
      const waitMs = error instanceof FetchRateLimitedError ? (error.retryAfterMs ?? 0) : 0;
      const expiresAt = this.now() + Math.min(this.ttlMs, Math.max(this.unreachableTtlMs, waitMs));
      const answered = error.code !== 'FETCH_NETWORK' && error.code !== 'FETCH_TIMEOUT';
      const problem = error.status !== undefined ? `HTTP ${error.status}` : error.message;
      // RFC 9309 2.4: while robots.txt cannot be read, an earlier copy may still be used.
      return { rules: previous?.rules, unreachable: { problem, answered, error }, expiresAt };
    }
  }

  private remember(origin: string, entry: OriginRules): void {
    this.cache.delete(origin);
    this.cache.set(origin, entry);
    while (this.cache.size > this.maxOrigins) this.cache.delete(this.cache.keys().next().value as string);
  }
}

/**
 * RFC 9309 2.3.1.3: a 4xx means there is no robots.txt for us (401 and 403 included), so everything
 * may be crawled; 429 asks us to wait and counts as unreachable. Past the redirects the fetcher
 * follows (5), the file may also be taken as unavailable (2.3.1.2).
 */
function isUnavailable(error: FetchError): boolean {
  if (error.code === 'FETCH_TOO_MANY_REDIRECTS') return true;
  return error.code === 'FETCH_HTTP_STATUS' && error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** The first 500 KiB, cut at a line end so that no rule is read half. */
function firstPart(text: string): string {
  if (text.length <= MAX_ROBOTS_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_ROBOTS_CHARS);
  return text.slice(0, cut > 0 ? cut : MAX_ROBOTS_CHARS);
}

/**
 * The product token of a User-Agent (`drug-control-monitor/0.1 (+https://...)` gives
 * `drug-control-monitor`): RFC 9309 matches groups by it, case-insensitively, and allows only
 * letters, `_` and `-` in it.
 */
export function robotsProductToken(userAgent: string): string {
  return /^[A-Za-z_-]+/.exec(userAgent.trim())?.[0] ?? '*';
}
