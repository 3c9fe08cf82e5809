import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawArticleSchema, type RawArticle } from '@monitor/contracts';
import { FeedFetcher } from './feed-fetcher';
import { FeedPoller } from './feed-poller';
import { HostQueue } from './host-queue';
import { parseSourceConfig, type SourceConfig } from './source-config';
import { SourceRegistry } from './source-registry';
import { MemorySourceOverrides, MemorySourceStateStore } from './testing';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function rss(items: Array<{ id: number; title: string }>): string {
  const body = items
    .map((i) => `<item><title>${i.title}</title><link>/story/${i.id}</link><description>Story ${i.id} about drug control.</description><pubDate>Mon, 03 Nov 2025 10:0${i.id}:00 GMT</pubDate></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>${body}</channel></rss>`;
}

describe('FeedPoller over real HTTP and SQLite', () => {
  let server: Server;
  let base: string;
  let routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  let requests: Array<{ url: string; ifNoneMatch?: string }>;
  let apiChanges: MemorySourceOverrides;
  let fetcher: FeedFetcher;
  let published: RawArticle[][];
  let publishShouldFail: boolean;
  let clock: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] as string | undefined });
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    routes = {};
    requests = [];
    published = [];
    publishShouldFail = false;
    clock = Date.parse('2025-11-03T12:00:00Z');
    apiChanges = new MemorySourceOverrides();
    fetcher = new FeedFetcher({ allowPrivateHosts: true, timeoutMs: 3000 });
  });
  afterEach(async () => {
    await fetcher.close();
  });

  function source(overrides: Partial<SourceConfig> & { candidates: SourceConfig['candidates'] }): SourceConfig {
    return parseSourceConfig({ id: 'test-source', name: 'Test', organisation: 'TEST', language: 'en', ...overrides });
  }

  function makePoller(sources: SourceConfig[], registry = new SourceRegistry(apiChanges, sources), owns?: (sourceId: string) => boolean) {
    const store = new MemorySourceStateStore();
    const poller = new FeedPoller({
      owns,
      sources: registry,
      store,
      fetcher,
      hostGapMs: 0,
      now: () => new Date(clock),
      random: () => 0.5,
      publish: async (articles) => {
        if (publishShouldFail) throw new Error('bus unavailable');
        published.push(articles);
      },
    });
    return { poller, store, registry };
  }

  it('publishes new items once: a re-poll (304 or same body) publishes nothing, a new item is published alone', async () => {
    let items = [{ id: 1, title: 'First' }, { id: 2, title: 'Second' }];
    routes['/feed.xml'] = (req, res) => {
      const etag = `"${items.length}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(rss(items));
    };
    routes['/plain.xml'] = (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
    const { poller } = makePoller([source({ candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }] }), source({ id: 'plain', candidates: [{ url: `${base}/plain.xml`, kind: 'feed' }] })]);

    expect(await poller.pollNow('test-source')).toMatchObject({ ok: true, published: 2 });
    const [batch] = published;
    expect(batch.map((a) => a.title)).toEqual(['First', 'Second']);
    expect(batch[0]).toMatchObject({ schema: 'news.raw.v1', sourceId: 'test-source', url: `${base}/story/1`, contentType: 'html', declaredLanguage: 'en', publishedAt: '2025-11-03T10:01:00.000Z' });
    for (const article of batch) expect(RawArticleSchema.safeParse(article).success).toBe(true);

    expect(await poller.pollNow('test-source')).toMatchObject({ ok: true, published: 0 });
    expect(requests.at(-1)?.ifNoneMatch).toBe('"2"');
    // The same items in another feed are the same articles.
    expect(await poller.pollNow('plain')).toMatchObject({ ok: true, published: 0 });

    items = [...items, { id: 3, title: 'Third' }];
    expect(await poller.pollNow('test-source')).toMatchObject({ published: 1 });
    expect(published.at(-1)?.map((a) => a.title)).toEqual(['Third']);
    expect(await poller.health('test-source')).toMatchObject({ status: 'healthy', consecutiveFailures: 0, itemsLastDay: 3, activeUrl: `${base}/feed.xml`, activeKind: 'feed', lastError: null });
  });

  it('does not mark items seen (nor keep the ETag) when publish fails, and publishes them on the next poll', async () => {
    routes['/feed.xml'] = (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"' }).end(rss([{ id: 1, title: 'Kept' }]));
    };
    const { poller } = makePoller([source({ candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }] })]);
    publishShouldFail = true;
    const failed = await poller.pollNow('test-source');
    expect(failed).toMatchObject({ ok: false, error: { code: 'PUBLISH_FAILED' } });
    expect(await poller.health('test-source')).toMatchObject({ status: 'failing', consecutiveFailures: 1, itemsLastDay: 0 });

    publishShouldFail = false;
    expect(await poller.pollNow('test-source')).toMatchObject({ ok: true, published: 1 });
    expect(requests.at(-1)?.ifNoneMatch).toBeUndefined();
    expect(published.flat().map((a) => a.title)).toEqual(['Kept']);
  });

  it('retries within seconds when its own record of seen items or the bus fails, without trying the other candidates', async () => {
    routes['/feed.xml'] = (_req, res) => res.writeHead(200).end(rss([{ id: 1, title: 'Waiting' }]));
    routes['/other.xml'] = (_req, res) => res.writeHead(200).end(rss([{ id: 2, title: 'Other' }]));
    const { poller, store } = makePoller([source({ candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }, { url: `${base}/other.xml`, kind: 'feed' }] })]);
    const filterUnseen = store.filterUnseen.bind(store);
    let storeShouldFail = true;
    store.filterUnseen = async (ids) => {
      if (storeShouldFail) throw new Error('no shard available yet');
      return filterUnseen(ids);
    };
    const failed = await poller.pollNow('test-source');
    expect(failed).toMatchObject({ ok: false, error: { code: 'SEEN_STATE_FAILED' } });
    expect(failed.error?.message).toContain('no shard available yet');
    expect(requests.map((r) => r.url)).toEqual(['/feed.xml']);
    const first = (await poller.health('test-source'))!;
    expect(first).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastError: { code: 'SEEN_STATE_FAILED' } });
    expect(Date.parse(first.nextPollAt!) - clock).toBe(5_000);
    // Doubling while the trouble lasts, never past the sources' own minute.
    for (let i = 0; i < 6; i++) await poller.pollNow('test-source');
    expect(Date.parse((await store.getHealth('test-source')).nextPollAt!) - clock).toBe(60_000);

    storeShouldFail = false;
    publishShouldFail = true;
    await store.saveHealth({ ...(await store.getHealth('test-source')), consecutiveFailures: 0 });
    expect(await poller.pollNow('test-source')).toMatchObject({ ok: false, error: { code: 'PUBLISH_FAILED' } });
    expect(Date.parse((await store.getHealth('test-source')).nextPollAt!) - clock).toBe(5_000);

    publishShouldFail = false;
    expect(await poller.pollNow('test-source')).toMatchObject({ ok: true, published: 1 });
    expect(published.flat().map((a) => a.title)).toEqual(['Waiting']);
    expect(await poller.health('test-source')).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
  });

  it('shows why a source fails, backs off exponentially, and never stops scheduling', async () => {
    routes['/broken.xml'] = (_req, res) => res.writeHead(500).end();
    const { poller, store } = makePoller([source({ candidates: [{ url: `${base}/broken.xml`, kind: 'feed' }] })]);
    await poller.pollNow('test-source');
    const first = (await poller.health('test-source'))!;
    expect(first).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastError: { code: 'FETCH_HTTP_STATUS' } });
    expect(first.lastError?.message).toContain('HTTP 500');
    expect(Date.parse(first.backingOffUntil!) - clock).toBe(60_000);
    await poller.pollNow('test-source');
    await poller.pollNow('test-source');
    const third = await store.getHealth('test-source');
    expect(third.consecutiveFailures).toBe(3);
    expect(Date.parse(third.nextPollAt!) - clock).toBe(240_000);
    for (let i = 0; i < 20; i++) await poller.pollNow('test-source');
    expect(Date.parse((await store.getHealth('test-source')).nextPollAt!) - clock).toBe(6 * 60 * 60_000);
  });

  it('honours Retry-After and shows the source as backing off', async () => {
    routes['/limited.xml'] = (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end();
    const { poller } = makePoller([source({ candidates: [{ url: `${base}/limited.xml`, kind: 'feed' }] })]);
    await poller.pollNow('test-source');
    const health = (await poller.health('test-source'))!;
    expect(health).toMatchObject({ status: 'backing-off', lastError: { code: 'FETCH_RATE_LIMITED' } });
    expect(Date.parse(health.nextPollAt!) - clock).toBe(3_600_000);
  });

  it('says clearly that the network is down, and does not crash', async () => {
    const offline = new FeedFetcher({
      lookup: ((host: string, _o: unknown, cb: (e: Error) => void) => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }))) as never,
    });
    const store = new MemorySourceStateStore();
    const sco = source({ id: 'sco-en', candidates: [{ url: 'https://www.sectsco.org/en/news/', kind: 'listing' }, { url: 'https://eng.sectsco.org/news/', kind: 'listing' }], listing: { item: '.news-item' } });
    const poller = new FeedPoller({ sources: new SourceRegistry(apiChanges, [sco]), store, fetcher: offline, hostGapMs: 0, publish: async () => undefined });
    try {
      expect(await poller.pollNow('sco-en')).toMatchObject({ ok: false });
      const health = (await poller.health('sco-en'))!;
      expect(health.status).toBe('failing');
      expect(health.lastError).toMatchObject({ code: 'FETCH_NETWORK' });
      expect(health.lastError?.message).toContain('getaddrinfo ENOTFOUND www.sectsco.org');
      expect(health.lastAttempts.map((a) => a.error?.message)).toEqual([expect.stringContaining('www.sectsco.org'), expect.stringContaining('eng.sectsco.org')]);
    } finally {
      await offline.close();
    }
  });

  it('falls back through candidates to an HTML listing, reads article pages, and tries the working one first next time', async () => {
    routes['/news/'] = (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixture('sco-listing.html'));
    routes['/news/20251103/3001.html'] = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('sco-article.html'));
    const sco = source({
      id: 'sco-en',
      candidates: [
        { url: `${base}/missing-feed.xml`, kind: 'feed' },
        { url: `${base}/news/`, kind: 'listing' },
      ],
      listing: { item: '.news-item', link: 'a', date: '.date', summary: '.teaser' },
      article: { content: '.article-body' },
    });
    const { poller } = makePoller([sco]);
    const outcome = await poller.pollNow('sco-en');
    expect(outcome).toMatchObject({ ok: true, published: 3, activeUrl: `${base}/news/` });
    const health = (await poller.health('sco-en'))!;
    expect(health).toMatchObject({ status: 'healthy', activeKind: 'listing' });
    expect(health.lastAttempts).toEqual([
      { url: `${base}/missing-feed.xml`, kind: 'feed', ok: false, error: { code: 'FETCH_HTTP_STATUS', message: expect.stringContaining('404') } },
      { url: `${base}/news/`, kind: 'listing', ok: true },
    ]);
    const meeting = published[0].find((a) => a.url.endsWith('/3001.html'))!;
    expect(meeting.content).toContain('situation in Afghanistan');
    expect(meeting.publishedAt).toBe('2025-11-03T00:00:00.000Z');
    // An article page that cannot be read keeps what the listing gave (here: nothing but the title).
    const ambassador = published[0].find((a) => a.title.startsWith('Secretary-General'))!;
    expect(ambassador.content).toBe('');

    requests = [];
    await poller.pollNow('sco-en');
    expect(requests[0].url).toBe('/news/');
  });

  describe('robots.txt', () => {
    const listing = { item: '.news-item', link: 'a', date: '.date', summary: '.teaser' };
    const article = { content: '.article-body' };
    beforeEach(() => {
      routes['/robots.txt'] = (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /closed/\nDisallow: /news/20251103/3001.html\n\nUser-agent: other-bot\nDisallow: /\n');
      routes['/news/'] = (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixture('sco-listing.html'));
      routes['/closed/news/'] = routes['/news/'];
      routes['/news/20251103/3001.html'] = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('sco-article.html'));
      routes['/closed/feed.xml'] = (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ id: 7, title: 'A feed item' }]));
    });

    it('fetches no disallowed listing or article page, says so in the health, and still collects what is allowed (feeds are not checked)', async () => {
      const { poller } = makePoller([
        source({ id: 'sco-en', candidates: [{ url: `${base}/closed/news/`, kind: 'listing' }, { url: `${base}/news/`, kind: 'listing' }], listing, article }),
        source({ id: 'closed', candidates: [{ url: `${base}/closed/news/`, kind: 'listing' }], listing }),
        source({ id: 'feed', candidates: [{ url: `${base}/closed/feed.xml`, kind: 'feed' }] }),
      ]);

      // The only candidate is disallowed: the source fails with the reason, the page never asked for.
      expect(await poller.pollNow('closed')).toMatchObject({ ok: false, error: { code: 'ROBOTS_DISALLOWED' } });
      const closed = (await poller.health('closed'))!;
      expect(closed).toMatchObject({ status: 'failing', lastError: { code: 'ROBOTS_DISALLOWED', message: `not fetched: ${base}/robots.txt disallows ${base}/closed/news/ for drug-control-monitor (line 2)` } });

      // A disallowed candidate falls through to an allowed one; the disallowed article page goes out with the listing's text.
      expect(await poller.pollNow('sco-en')).toMatchObject({ ok: true, published: 3, activeUrl: `${base}/news/` });
      const health = (await poller.health('sco-en'))!;
      expect(health).toMatchObject({ status: 'healthy', lastError: null });
      expect(health.lastAttempts).toEqual([
        { url: `${base}/closed/news/`, kind: 'listing', ok: false, error: { code: 'ROBOTS_DISALLOWED', message: expect.stringContaining(`disallows ${base}/closed/news/`) } },
        { url: `${base}/news/`, kind: 'listing', ok: true },
      ]);
      expect(health.pagesNotRead).toContainEqual({
        url: `${base}/news/20251103/3001.html`,
        code: 'ROBOTS_DISALLOWED',
        message: `not fetched: ${base}/robots.txt disallows ${base}/news/20251103/3001.html for drug-control-monitor (line 3)`,
      });
      const meeting = published.flat().find((a) => a.url === `${base}/news/20251103/3001.html`)!;
      expect(meeting.text).toBe('Delegations reviewed joint counter-narcotics operations.');

      // The feed's path is disallowed too, but a feed is read: it is published for programs.
      expect(await poller.pollNow('feed')).toMatchObject({ ok: true, published: 1 });

      expect(requests.map((r) => r.url)).not.toContain('/closed/news/');
      expect(requests.map((r) => r.url)).not.toContain('/news/20251103/3001.html');
      expect(requests.filter((r) => r.url === '/robots.txt')).toHaveLength(1);

      // A later poll without new items keeps what the last one that read pages could not read.
      expect(await poller.pollNow('sco-en')).toMatchObject({ ok: true, published: 0 });
      expect((await poller.health('sco-en'))!.pagesNotRead).toEqual(health.pagesNotRead);
    });

    it('matches the group of the User-Agent it is given', async () => {
      const other = new FeedPoller({
        sources: new SourceRegistry(apiChanges, [source({ id: 'sco-en', candidates: [{ url: `${base}/news/`, kind: 'listing' }], listing })]),
        store: new MemorySourceStateStore(),
        fetcher,
        hostGapMs: 0,
        userAgent: 'Other-Bot/3.1 (+https://other.example)',
        publish: async () => undefined,
      });
      expect(await other.pollNow('sco-en')).toMatchObject({ ok: false, error: { code: 'ROBOTS_DISALLOWED', message: expect.stringContaining(`disallows ${base}/news/ for Other-Bot (line 6)`) } });
    });

    it("keeps a site's Crawl-delay between the requests it checks", async () => {
      routes['/robots.txt'] = (_req, res) => res.writeHead(200).end('User-agent: *\nCrawl-delay: 7\n');
      const gaps: Array<[string, number | undefined]> = [];
      const run = HostQueue.prototype.run;
      // Recorded, not waited for: the wait itself is HostQueue's (host-queue.spec.ts).
      const spy = jest.spyOn(HostQueue.prototype, 'run').mockImplementation(function (this: HostQueue, url, task, gapMs) {
        gaps.push([new URL(url).pathname, gapMs]);
        return run.call(this, url, task, 0) as never;
      });
      try {
        const { poller } = makePoller([
          source({ id: 'sco-en', candidates: [{ url: `${base}/news/`, kind: 'listing' }], listing, article }),
          source({ id: 'feed', candidates: [{ url: `${base}/closed/feed.xml`, kind: 'feed' }] }),
        ]);
        await poller.pollNow('sco-en');
        await poller.pollNow('feed');
      } finally {
        spy.mockRestore();
      }
      expect(gaps.slice(0, 3)).toEqual([
        ['/robots.txt', undefined],
        ['/news/', 7000],
        ['/news/20251103/3001.html', 7000],
      ]);
      expect(gaps.at(-1)).toEqual(['/closed/feed.xml', undefined]);
    });

    it('reads no more article pages once stop() is asked, leaving those items for the next poll', async () => {
      routes['/robots.txt'] = (_req, res) => res.writeHead(404).end();
      const { poller } = makePoller([source({ id: 'sco-en', candidates: [{ url: `${base}/news/`, kind: 'listing' }], listing, article })]);
      let stopped: Promise<void> | undefined;
      routes['/news/20251103/3001.html'] = (_req, res) => {
        stopped = poller.stop();
        res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('sco-article.html'));
      };
      expect(await poller.pollNow('sco-en')).toMatchObject({ ok: true, published: 1 });
      await stopped;
      expect(published.flat().map((a) => a.url)).toEqual([`${base}/news/20251103/3001.html`]);
      expect(await poller.pollNow('sco-en')).toMatchObject({ ok: true, published: 2 });
    });
  });

  it('keeps runtime changes to sources across restarts, and reports disabled sources', async () => {
    const defaults = [source({ candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }] })];
    const registry = new SourceRegistry(apiChanges, defaults);
    await registry.upsert({ id: 'added', name: 'Added', organisation: 'X', language: 'ru', candidates: [{ url: `${base}/other.xml`, kind: 'feed' }] });
    await registry.setEnabled('test-source', false);
    await expect(registry.upsert({ id: 'bad', name: 'B', organisation: 'X', language: 'en', candidates: [] })).rejects.toThrow(/candidates: at least one/);

    const reopened = new SourceRegistry(apiChanges, defaults);
    expect(reopened.list().map((s) => [s.id, s.enabled])).toEqual([
      ['test-source', false],
      ['added', true],
    ]);
    const { poller } = makePoller(defaults, reopened);
    expect((await poller.health('test-source'))?.status).toBe('disabled');
    expect((await poller.health('added'))?.status).toBe('pending');
    await reopened.remove('added');
    expect(reopened.get('added')).toBeUndefined();
  });

  it('start() polls due sources on its own and stop() waits for them', async () => {
    routes['/feed.xml'] = (_req, res) => res.writeHead(200).end(rss([{ id: 1, title: 'Scheduled' }]));
    const { poller, store } = makePoller([source({ candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }] })]);
    poller.start();
    for (let i = 0; i < 100 && !published.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await poller.stop();
    expect(published.flat().map((a) => a.title)).toEqual(['Scheduled']);
    expect((await store.getHealth('test-source')).nextPollAt).toBe(new Date(clock + 30 * 60_000).toISOString());
  });

  it('polls on schedule only the sources it owns, takes up a source when it comes to own it, and polls any source on request', async () => {
    const hits: string[] = [];
    for (const path of ['/mine.xml', '/theirs.xml']) {
      routes[path] = (req, res) => {
        hits.push(req.url!);
        res.writeHead(200).end(rss([{ id: path.length, title: path }]));
      };
    }
    const owned = new Set(['mine']);
    const sources = [
      source({ id: 'mine', candidates: [{ url: `${base}/mine.xml`, kind: 'feed' }] }),
      source({ id: 'theirs', candidates: [{ url: `${base}/theirs.xml`, kind: 'feed' }] }),
    ];
    const { poller } = makePoller(sources, undefined, (id) => owned.has(id));
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    try {
      poller.start();
      await until(() => hits.includes('/mine.xml'));
      expect(hits).toEqual(['/mine.xml']);

      owned.add('theirs');
      poller.rescan();
      await until(() => hits.includes('/theirs.xml'));
      expect(hits).toEqual(['/mine.xml', '/theirs.xml']);

      owned.clear();
      routes['/theirs.xml'] = (req, res) => {
        hits.push(req.url!);
        res.writeHead(304).end();
      };
      expect((await poller.pollNow('theirs')).ok).toBe(true);
      expect(hits).toEqual(['/mine.xml', '/theirs.xml', '/theirs.xml']);
    } finally {
      await poller.stop();
    }
  });
});
