import { MonitorError, RawArticleSchema, errorCode, zodProblem, type RawArticle } from '@monitor/contracts';
import { extractArticle } from './article-page';
import { itemArticleId } from './canonical-url';
import { FetchRateLimitedError, ListingError } from './feed-errors';
import { DEFAULT_USER_AGENT, type ConditionalState, type FetchOptions, type FetchResult } from './feed-fetcher';
import { parseFeed } from './feed-parser';
import { HostQueue } from './host-queue';
import { htmlToText } from './html-text';
import { scrapeListing } from './listing-scraper';
import { RobotsPolicy, type RobotsPolicyOptions } from './robots-policy';
import type { SourceCandidate, SourceConfig } from './source-config';
import type { CandidateAttempt, PageNotRead, SourceHealth } from './source-health';
import type { SourceStateStore } from './source-state.port';

export interface PollerFetcher {
  fetch(url: string, options?: FetchOptions): Promise<FetchResult>;
}

export interface PollerSources {
  list(): SourceConfig[];
  get(id: string): SourceConfig | undefined;
  onChange?(listener: () => void): () => void;
}

export interface PollerLogger {
  info?(fields: object, message: string): void;
  warn?(fields: object, message: string): void;
}

export interface FeedPollerOptions {
  sources: PollerSources;
  store: SourceStateStore;
  fetcher: PollerFetcher;
  /** Hands a batch of new articles on (to the bus). Items are marked seen only after it resolves. */
  publish: (articles: RawArticle[]) => Promise<void>;
  /** Minimum gap between two requests to the same host (a site's robots.txt Crawl-delay may ask for more). */
  hostGapMs?: number;
  /** The User-Agent the fetcher sends: robots.txt groups are matched by its product token. */
  userAgent?: string;
  /** How long robots.txt answers are kept (see RobotsPolicy). */
  robots?: Pick<RobotsPolicyOptions, 'ttlMs' | 'unreachableTtlMs' | 'maxOrigins'>;
  /**
   * Failure backoff: base * 2^(failures-1), capped, with +-jitter. A failure of the monitor's own
   * (publishing, or its record of seen items) starts from ownBaseMs instead and doubles up to
   * baseMs: the source answered, so it is asked again soon, yet not hammered while the trouble lasts.
   */
  backoff?: { baseMs?: number; maxMs?: number; jitter?: number; ownBaseMs?: number };
  /** How often the scheduler looks for due sources. */
  tickMs?: number;
  now?: () => Date;
  random?: () => number;
  logger?: PollerLogger;
  /**
   * Whether this poller is the one that polls a source on schedule (default: every source). In
   * the stack each collector replica owns a share of the sources, so that a source is polled by
   * one replica at a time. `pollNow` polls whatever it is asked: a poll is idempotent (items are
   * keyed by article id and marked seen in shared state), so an extra one doubles nothing.
   */
  owns?: (sourceId: string) => boolean;
}

export interface PollOutcome {
  sourceId: string;
  ok: boolean;
  published: number;
  activeUrl?: string;
  error?: { code: string; message: string };
}

/** The publish callback failed: the items stay unseen and are offered again next poll. */
export class PublishFailedError extends MonitorError {
  constructor(message: string, cause: unknown) {
    super('PUBLISH_FAILED', message, { retriable: true, cause });
  }
}

/**
 * The monitor's record of seen items could not be read or written (its state store is away, or
 * an index is still starting): the source is not at fault, and the items are offered again next poll.
 */
export class SeenStateFailedError extends MonitorError {
  constructor(message: string, cause: unknown) {
    super('SEEN_STATE_FAILED', message, { retriable: true, cause });
  }
}

/** A failure of the monitor's own, not of the source it was reading. */
type OwnFailure = PublishFailedError | SeenStateFailedError;
const isOwnFailure = (error: unknown): error is OwnFailure => error instanceof PublishFailedError || error instanceof SeenStateFailedError;

interface CandidateItem {
  title: string;
  link?: string;
  guid?: string;
  contentHtml?: string;
  summary?: string;
  publishedAt: string | null;
}

interface CandidateRead {
  items: CandidateItem[];
  /** Validators to store once the items are safely published. */
  conditional?: ConditionalState;
  /** The URL relative links resolved against (after redirects). */
  pageUrl: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Polls every enabled source on its own schedule. Each poll tries the source's candidate URLs,
 * the last one that worked first, then the others in their configured order; the first that
 * answers with something readable (a feed, or a listing whose selectors match) wins and is
 * recorded. New items become news.raw.v1 articles and go to `publish`; only when it resolves are
 * they marked seen and the URL's ETag/Last-Modified stored, so a crash or bus outage loses
 * nothing and a re-poll doubles nothing. Failures back off exponentially (with jitter, capped,
 * never giving up) and honour Retry-After; the reason is kept in the source's health. A failure
 * of the monitor's own (the bus, or its record of seen items, as when Elasticsearch is still
 * starting) is retried within seconds, not the source's minute.
 */
export class FeedPoller {
  private readonly hosts: HostQueue;
  private readonly robots: RobotsPolicy;
  private readonly inFlight = new Map<string, Promise<PollOutcome>>();
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly backoff: { baseMs: number; maxMs: number; jitter: number; ownBaseMs: number };
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** While stop() waits: polls in progress read no more article pages (a site's Crawl-delay can make each one long). */
  private stopping = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: FeedPollerOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.hosts = new HostQueue(options.hostGapMs ?? 2000, () => this.now().getTime());
    this.robots = new RobotsPolicy({
      ...options.robots,
      fetcher: options.fetcher,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      schedule: (url, task) => this.hosts.run(url, task),
      now: () => this.now().getTime(),
    });
    this.backoff = { baseMs: 60_000, maxMs: 6 * 60 * 60_000, jitter: 0.2, ownBaseMs: 5_000, ...options.backoff };
    this.tickMs = options.tickMs ?? 5000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.sources.onChange?.(() => this.tick());
    this.tick();
  }

  /**
   * Stops scheduling and waits for polls in progress (each bounded by the fetch deadline); they
   * read no more article pages, leaving those items for the next poll.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    try {
      await Promise.allSettled([...this.inFlight.values()]);
    } finally {
      this.stopping = false;
    }
  }

  /** Looks for due sources now: call it when the sources this poller owns changed. */
  rescan(): void {
    this.tick();
  }

  /** Polls one source now, whatever its schedule or owner (tests, the API's "poll now"). */
  pollNow(sourceId: string): Promise<PollOutcome> {
    const running = this.inFlight.get(sourceId);
    if (running) return running;
    const source = this.options.sources.get(sourceId);
    if (!source) {
      return Promise.resolve({ sourceId, ok: false, published: 0, error: { code: 'SOURCE_UNKNOWN', message: `no source with id '${sourceId}'` } });
    }
    const poll = this.poll(source).finally(() => this.inFlight.delete(sourceId));
    this.inFlight.set(sourceId, poll);
    return poll;
  }

  async health(sourceId: string): Promise<SourceHealth | undefined> {
    const source = this.options.sources.get(sourceId);
    return source ? this.view(source) : undefined;
  }

  listHealth(): Promise<SourceHealth[]> {
    return Promise.all(this.options.sources.list().map((source) => this.view(source)));
  }

  private async view(source: SourceConfig): Promise<SourceHealth> {
    const [health, itemsLastDay] = await Promise.all([
      this.options.store.getHealth(source.id),
      this.options.store.countSeenSince(source.id, new Date(this.now().getTime() - DAY_MS)),
    ]);
    if (!source.enabled) return { ...health, status: 'disabled', nextPollAt: null, itemsLastDay };
    return { ...health, itemsLastDay };
  }

  private tick(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.tickMs);
    void this.pollDue().catch((error: unknown) => this.options.logger?.warn?.({ err: error }, 'feed poller: scheduling failed'));
  }

  private async pollDue(): Promise<void> {
    const now = this.now().getTime();
    const owns = this.options.owns ?? (() => true);
    for (const source of this.options.sources.list()) {
      if (!source.enabled || this.inFlight.has(source.id) || !owns(source.id)) continue;
      const next = (await this.options.store.getHealth(source.id)).nextPollAt;
      if (this.running && !this.inFlight.has(source.id) && (!next || Date.parse(next) <= now)) {
        // A poll fails on its own only when the state store does (Elasticsearch away, say): the
        // source stays due and the next tick tries again.
        void this.pollNow(source.id).then(
          () => this.tick(),
          (error: unknown) => this.options.logger?.warn?.({ sourceId: source.id, err: error }, 'feed poller: poll failed, state store unavailable'),
        );
      }
    }
  }

  private async poll(source: SourceConfig): Promise<PollOutcome> {
    const { store } = this.options;
    const startedAt = this.now();
    const health = await store.getHealth(source.id);
    const attempts: CandidateAttempt[] = [];
    let firstError: unknown;
    let ownError: OwnFailure | undefined;

    for (const candidate of orderCandidates(source.candidates, health.activeUrl)) {
      try {
        const read = await this.readCandidate(source, candidate);
        const { published, complete, pagesTried, pagesNotRead } = await this.publishNew(source, read);
        // Validators are kept only when every new item went out; otherwise a 304 would hide the rest.
        if (read.conditional && complete) await store.saveConditional(candidate.url, read.conditional);
        attempts.push({ url: candidate.url, kind: candidate.kind, ok: true });
        const finishedAt = this.now();
        await store.saveHealth({
          ...health,
          status: 'healthy',
          lastPollAt: finishedAt.toISOString(),
          lastSuccessAt: finishedAt.toISOString(),
          lastError: null,
          consecutiveFailures: 0,
          nextPollAt: new Date(finishedAt.getTime() + source.pollIntervalMinutes * 60_000).toISOString(),
          backingOffUntil: null,
          activeUrl: candidate.url,
          activeKind: candidate.kind,
          lastAttempts: attempts,
          // What the last poll that read article pages could not read (robots.txt, errors); kept until the next such poll.
          pagesNotRead: pagesTried ? pagesNotRead : health.pagesNotRead,
        });
        if (published) this.options.logger?.info?.({ sourceId: source.id, url: candidate.url, published }, 'feed poller: published new items');
        return { sourceId: source.id, ok: true, published, activeUrl: candidate.url };
      } catch (error) {
        attempts.push({ url: candidate.url, kind: candidate.kind, ok: false, error: describe(error) });
        firstError ??= error;
        if (isOwnFailure(error)) {
          // The source answered; the trouble is the monitor's own, so other candidates would not help.
          ownError = error;
          break;
        }
      }
    }

    const failures = health.consecutiveFailures + 1;
    const shown = ownError ?? firstError;
    const retryAfterMs = attemptsRetryAfter(shown);
    const { baseMs, maxMs, ownBaseMs } = this.backoff;
    const delay = ownError ? this.backoffDelay(failures, ownBaseMs, baseMs) : Math.max(this.backoffDelay(failures, baseMs, maxMs), retryAfterMs ?? 0);
    const finishedAt = this.now();
    const until = new Date(finishedAt.getTime() + delay).toISOString();
    const reason = describe(shown);
    if (attempts.length > 1 && !ownError) reason.message += ` (all ${attempts.length} candidate URLs failed)`;
    await store.saveHealth({
      ...health,
      status: retryAfterMs !== undefined ? 'backing-off' : 'failing',
      lastPollAt: startedAt.toISOString(),
      lastError: reason,
      consecutiveFailures: failures,
      nextPollAt: until,
      backingOffUntil: until,
      lastAttempts: attempts,
    });
    this.options.logger?.warn?.({ sourceId: source.id, code: reason.code, failures, retryAt: until }, `feed poller: ${reason.message}`);
    return { sourceId: source.id, ok: false, published: 0, error: reason };
  }

  /** Capped exponential backoff, with jitter, from the persisted failure count, so it survives restarts. */
  private backoffDelay(failures: number, fromMs: number, capMs: number): number {
    const { jitter } = this.backoff;
    const raw = Math.min(capMs, fromMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(raw * (1 - jitter + 2 * jitter * this.random()));
  }

  private async readCandidate(source: SourceConfig, candidate: SourceCandidate): Promise<CandidateRead> {
    const conditional = await this.options.store.getConditional(candidate.url);
    // A listing is crawled, so robots.txt decides; a feed is published for programs to read (see RobotsPolicy).
    const { crawlDelayMs } = candidate.kind === 'listing' ? await this.robots.check(candidate.url) : {};
    const result = await this.hosts.run(candidate.url, () => this.options.fetcher.fetch(candidate.url, conditional), crawlDelayMs);
    if (result.status === 'not-modified') {
      return { items: [], pageUrl: result.finalUrl };
    }
    const validators = result.etag || result.lastModified ? { etag: result.etag, lastModified: result.lastModified } : undefined;
    if (candidate.kind === 'feed') {
      const feed = parseFeed(result.text, result.finalUrl);
      return { items: feed.items.map((item) => ({ ...item, publishedAt: item.publishedAt ?? null })), conditional: validators, pageUrl: result.finalUrl };
    }
    const selectors = source.listing;
    if (!selectors) throw new ListingError('LISTING_EMPTY', `source ${source.id} has a listing candidate but no listing selectors`);
    const items = scrapeListing(result.text, result.finalUrl, selectors);
    if (!items.length) {
      throw new ListingError('LISTING_EMPTY', `no news items on ${result.finalUrl}: the selector '${selectors.item}' matched nothing with a link (has the page layout changed?)`);
    }
    return {
      items: items.map((item) => ({ title: item.title, link: item.link, publishedAt: item.publishedAt, summary: item.summary })),
      conditional: validators,
      pageUrl: result.finalUrl,
    };
  }

  private async publishNew(
    source: SourceConfig,
    read: CandidateRead,
  ): Promise<{ published: number; complete: boolean; pagesTried: number; pagesNotRead: PageNotRead[] }> {
    const { store } = this.options;
    const byId = new Map<string, CandidateItem>();
    for (const item of read.items) {
      const id = itemArticleId(source.id, item) ?? (item.title ? itemArticleId(source.id, { guid: `title:${item.title}|${item.publishedAt ?? ''}` }) : undefined);
      if (id && !byId.has(id)) byId.set(id, item);
    }
    const unseen = await store.filterUnseen([...byId.keys()]).catch((error: unknown) => {
      throw new SeenStateFailedError(`reading which items were seen failed: ${describe(error).message}`, error);
    });
    const pagesNotRead: PageNotRead[] = [];
    let pagesTried = 0;
    if (!unseen.length) return { published: 0, complete: true, pagesTried, pagesNotRead };

    // Listing items have no body: their article pages are read, a bounded number per poll.
    const needsPage = (item: CandidateItem) => !!item.link && (!item.contentHtml || !!source.article);
    let pagesLeft = source.maxArticlesPerPoll;
    const fetchedAt = this.now().toISOString();
    const articles: RawArticle[] = [];
    let complete = true;
    for (const id of unseen) {
      let item = byId.get(id) as CandidateItem;
      if (needsPage(item)) {
        // Left for the next poll: over this poll's budget, or the poller is stopping.
        if (pagesLeft <= 0 || this.stopping) {
          complete = false;
          continue;
        }
        pagesLeft--;
        pagesTried++;
        item = await this.withArticlePage(source, item, pagesNotRead);
      }
      const article = this.toRawArticle(source, id, item, read.pageUrl, fetchedAt);
      if (article) articles.push(article);
    }
    if (!articles.length) return { published: 0, complete, pagesTried, pagesNotRead };
    try {
      await this.options.publish(articles);
    } catch (error) {
      throw new PublishFailedError(`publishing ${articles.length} new items failed: ${(error as Error).message ?? String(error)}`, error);
    }
    // Published but not marked seen: the next poll publishes them again, under the same article ids.
    await store
      .markSeen(
        articles.map((a) => ({ articleId: a.id, sourceId: source.id, url: a.url })),
        this.now(),
      )
      .catch((error: unknown) => {
        throw new SeenStateFailedError(`marking ${articles.length} published items seen failed: ${describe(error).message}`, error);
      });
    return { published: articles.length, complete, pagesTried, pagesNotRead };
  }

  /**
   * Reads the article page for its full text, if the site's robots.txt allows it. On failure (a
   * disallowed page included) the item keeps what the listing or feed gave, and `notRead` says why.
   */
  private async withArticlePage(source: SourceConfig, item: CandidateItem, notRead: PageNotRead[]): Promise<CandidateItem> {
    const link = item.link as string;
    try {
      const { crawlDelayMs } = await this.robots.check(link);
      const page = await this.hosts.run(link, () => this.options.fetcher.fetch(link, { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5' }), crawlDelayMs);
      if (page.status !== 'ok') return item;
      const extracted = extractArticle(page.text, page.finalUrl, source.article ?? {});
      return {
        ...item,
        title: item.title || extracted.title || '',
        contentHtml: extracted.contentHtml || item.contentHtml,
        publishedAt: item.publishedAt ?? extracted.publishedAt,
      };
    } catch (error) {
      notRead.push({ url: link, ...describe(error) });
      this.options.logger?.warn?.({ sourceId: source.id, url: link, code: errorCode(error) }, `feed poller: article page not read: ${(error as Error).message}`);
      return item;
    }
  }

  private toRawArticle(source: SourceConfig, id: string, item: CandidateItem, pageUrl: string, fetchedAt: string): RawArticle | undefined {
    const content = item.contentHtml ?? item.summary ?? '';
    const isHtml = item.contentHtml !== undefined || /<[a-z][\s\S]*>/i.test(content);
    const text = isHtml ? htmlToText(content) : content.trim();
    const title = item.title || firstWords(text) || item.link || '';
    const url = item.link ?? (item.guid && /^https?:\/\//i.test(item.guid) ? item.guid : pageUrl);
    const candidate = {
      schema: 'news.raw.v1' as const,
      id,
      sourceId: source.id,
      sourceName: source.name,
      url,
      ...(item.guid ? { guid: item.guid } : {}),
      title,
      content,
      contentType: isHtml ? ('html' as const) : ('text' as const),
      text,
      // The operator's declaration wins over feed metadata, which is often a CMS default.
      declaredLanguage: source.language,
      publishedAt: item.publishedAt ?? null,
      fetchedAt,
    };
    const checked = RawArticleSchema.safeParse(candidate);
    if (!checked.success) {
      this.options.logger?.warn?.({ sourceId: source.id, url, issue: zodProblem(checked.error) }, 'feed poller: item skipped, not a valid news.raw.v1');
      return undefined;
    }
    return checked.data;
  }
}

function orderCandidates(candidates: SourceCandidate[], activeUrl: string | null): SourceCandidate[] {
  const active = candidates.find((c) => c.url === activeUrl);
  return active ? [active, ...candidates.filter((c) => c !== active)] : candidates;
}

function attemptsRetryAfter(error: unknown): number | undefined {
  return error instanceof FetchRateLimitedError ? (error.retryAfterMs ?? 0) : undefined;
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof MonitorError) return { code: error.code, message: error.message };
  return { code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
}

function firstWords(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
