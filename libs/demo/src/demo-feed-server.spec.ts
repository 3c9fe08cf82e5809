import type { RawArticle } from '@monitor/contracts';
import { DEFAULT_USER_AGENT, FeedFetcher, FeedPoller, SourceRegistry, decodeBody, parseFeed, parseSourceConfig, scrapeListing } from '@monitor/feeds';
import { MemorySourceOverrides, MemorySourceStateStore } from '@monitor/feeds/testing';
import * as cheerio from 'cheerio';
import * as iconv from 'iconv-lite';
import Parser from 'rss-parser';
import { startDemoFeedServer, type DemoFeedServer } from './demo-feed-server';
import { SCO_ARTICLE_SELECTORS, SCO_LISTING_SELECTORS } from './demo-sources';
import { DEMO_SITE, type DemoSourceId } from './demo-site-map';

const NOW = new Date('2031-04-10T08:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const parser = new Parser();

let demo: DemoFeedServer;

beforeAll(async () => {
  demo = await startDemoFeedServer({ now: NOW });
});

afterAll(async () => {
  await demo.close();
});

function feedUrl(id: DemoSourceId): string {
  const source = demo.sources.find((candidate) => candidate.id === id)!;
  return source.candidates[source.candidates.length - 1].url;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('demo feed server: feeds', () => {
  it('serves the UN News-style RSS 2.0 feed, well-formed, with markup in a title kept as literal text', async () => {
    const response = await get(feedUrl('demo-un-news-en'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const raw = response.bytes.toString('utf8');
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(raw).not.toContain('<script>');

    const feed = await parser.parseString(raw);
    const expected = demo.items('demo-un-news-en');
    expect(feed.items.map((item) => item.link)).toEqual(expected.map((item) => item.url));
    expect(feed.items.map((item) => item.title)).toEqual(expected.map((item) => item.title));
    expect(feed.items.some((item) => item.title?.includes('<script>alert(1)</script>'))).toBe(true);
    for (const item of feed.items) {
      expect(item['content:encoded']).toMatch(/^<p>/);
      expect(Number.isNaN(Date.parse(item.pubDate!))).toBe(false);
    }
  });

  it('shifts the sample dates so the newest item is hours old and the oldest about a month', async () => {
    const dates = demo.items().map((item) => Date.parse(item.publishedAt));
    expect(Math.max(...dates)).toBeLessThanOrEqual(NOW.getTime());
    expect(Math.max(...dates)).toBeGreaterThan(NOW.getTime() - DAY);
    expect(Math.min(...dates)).toBeGreaterThan(NOW.getTime() - 32 * DAY);
  });

  it('serves the UNODC-style Atom feed behind a first candidate that answers 404', async () => {
    const unodc = demo.sources.find((source) => source.id === 'demo-unodc')!;
    expect(unodc.candidates).toHaveLength(2);
    expect((await get(unodc.candidates[0].url)).status).toBe(404);

    const response = await get(unodc.candidates[1].url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = await parser.parseString(response.bytes.toString('utf8'));
    const expected = demo.items('demo-unodc');
    expect(feed.items.map((item) => item.link)).toEqual(expected.map((item) => item.url));
    expect(feed.items[0].title).toBe(expected[0].title);
    expect(feed.items[0].content).toContain(expected[0].paragraphs[1].slice(0, 40));
  });

  it('serves the INCB-style JSON Feed 1.1', async () => {
    const response = await get(feedUrl('demo-incb'));
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(response.bytes.toString('utf8'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    const expected = demo.items('demo-incb');
    expect(feed.items.map((item: { url: string }) => item.url)).toEqual(expected.map((item) => item.url));
    for (const item of feed.items) {
      expect(item.content_html).toContain('<p>');
      expect(new Date(item.date_published).toISOString()).toBe(item.date_published);
    }
  });

  it.each([
    ['demo-un-news-ru', 'windows-1251', 'win1251'],
    ['demo-un-news-zh', 'GBK', 'gbk'],
  ] as const)('serves %s encoded in %s, declared in the prolog and the Content-Type', async (id, charset, iconvName) => {
    const response = await get(feedUrl(id));
    expect(response.headers.get('content-type')).toBe(`application/rss+xml; charset=${charset}`);
    expect(response.bytes.subarray(0, 60).toString('latin1')).toContain(`<?xml version="1.0" encoding="${charset}"?>`);

    const expected = demo.items(id);
    const firstTitle = expected[0].title;
    // The legacy bytes are there, and the UTF-8 bytes are not.
    expect(response.bytes.includes(iconv.encode(firstTitle, iconvName))).toBe(true);
    expect(response.bytes.includes(Buffer.from(firstTitle, 'utf8'))).toBe(false);

    const decoded = iconv.decode(response.bytes, iconvName);
    expect(decoded).not.toContain('\ufffd');
    const feed = await parser.parseString(decoded);
    expect(feed.items.map((item) => item.title)).toEqual(expected.map((item) => item.title));
    expect(feed.items[0]['content:encoded']).toContain(expected[0].paragraphs[0]);
  });

  it('answers a conditional GET with 304 until the feed changes', async () => {
    const url = feedUrl('demo-un-news-en');
    const first = await get(url);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(NOW.getTime() + DAY);

    const byEtag = await get(url, { 'If-None-Match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.bytes).toHaveLength(0);
    expect((await get(url, { 'If-Modified-Since': lastModified })).status).toBe(304);
    expect((await get(url, { 'If-None-Match': '"something-else"' })).status).toBe(200);

    const logged = demo.requests.filter((request) => request.ifNoneMatch === etag);
    expect(logged.map((request) => [request.sourceId, request.status])).toEqual([['demo-un-news-en', 304]]);

    const added = demo.addItem('demo-un-news-en', {
      title: 'UNODC opens a regional office for drug-control training',
      text: 'First paragraph of a live item.\n\nSecond paragraph of a live item.',
      topics: ['anti-drug-cooperation'],
    });
    const after = await get(url, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const feed = await parser.parseString(after.bytes.toString('utf8'));
    expect(feed.items[0].link).toBe(added.url);
    expect(feed.items[0].title).toBe(added.title);
    expect((await get(added.url)).status).toBe(200);
    expect((await get(url, { 'If-Modified-Since': lastModified })).status).toBe(200);
  });

  it('keeps characters a legacy charset cannot hold as character references', async () => {
    const added = demo.addItem('demo-un-news-ru', {
      title: 'Новость с эмодзи 🌿 и иероглифами 禁毒',
      paragraphs: ['Текст новости о профилактике наркомании.'],
    });
    const response = await get(feedUrl('demo-un-news-ru'));
    const feed = await parser.parseString(iconv.decode(response.bytes, 'win1251'));
    expect(feed.items[0].title).toBe(added.title);
  });
});

describe('demo feed server: breaking and repairing a source', () => {
  afterEach(() => {
    for (const entry of DEMO_SITE) demo.repairSource(entry.id);
  });

  it('answers 500 while broken with http-500, and the feed again once repaired', async () => {
    demo.breakSource('demo-un-news-en', 'http-500');
    expect((await get(feedUrl('demo-un-news-en'))).status).toBe(500);
    expect((await get(feedUrl('demo-unodc'))).status).toBe(200);
    demo.repairSource('demo-un-news-en');
    expect((await get(feedUrl('demo-un-news-en'))).status).toBe(200);
  });

  it('serves documents no reader can parse while malformed', async () => {
    demo.breakSource('demo-un-news-en', 'malformed');
    demo.breakSource('demo-unodc', 'malformed');
    demo.breakSource('demo-incb', 'malformed');
    demo.breakSource('demo-sco-en', 'malformed');

    const rss = await get(feedUrl('demo-un-news-en'));
    expect(rss.status).toBe(200);
    await expect(parser.parseString(rss.bytes.toString('utf8'))).rejects.toThrow();
    await expect(parser.parseString((await get(feedUrl('demo-unodc'))).bytes.toString('utf8'))).rejects.toThrow();
    const json = (await get(feedUrl('demo-incb'))).bytes.toString('utf8');
    expect(() => JSON.parse(json)).toThrow();

    const listing = await get(feedUrl('demo-sco-en'));
    expect(listing.status).toBe(200);
    expect(cheerio.load(listing.bytes.toString('utf8'))(SCO_LISTING_SELECTORS.item)).toHaveLength(0);
  });

  it('never answers while broken with timeout, and close() still ends the server', async () => {
    demo.breakSource('demo-incb', 'timeout');
    await expect(fetch(feedUrl('demo-incb'), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const pending = demo.requests.filter((request) => request.sourceId === 'demo-incb' && request.status === null);
    expect(pending.length).toBeGreaterThan(0);

    const other = await startDemoFeedServer();
    other.breakSource('demo-incb', 'timeout');
    const hanging = fetch(feedUrl('demo-incb').replace(demo.baseUrl, other.baseUrl)).then(
      () => 'answered',
      () => 'failed',
    );
    while (!other.requests.some((request) => request.sourceId === 'demo-incb')) await new Promise((resolve) => setTimeout(resolve, 10));
    await other.close();
    expect(await hanging).toBe('failed');
  });

  it('rejects unknown sources', () => {
    expect(() => demo.breakSource('demo-nope' as DemoSourceId, 'http-500')).toThrow(/unknown demo source/);
  });
});

describe('demo feed server: SCO-style site', () => {
  it.each(['demo-sco-en', 'demo-sco-ru', 'demo-sco-zh'] as const)('%s: the listing selectors find exactly the published articles', async (id) => {
    const source = demo.sources.find((candidate) => candidate.id === id)!;
    expect(source.candidates).toEqual([{ url: `${demo.baseUrl}/sco/${id.slice(-2)}/news/`, kind: 'listing' }]);
    const page = await get(source.candidates[0].url);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const $ = cheerio.load(page.bytes.toString('utf8'));

    const expected = demo.items(id);
    const rows = $(SCO_LISTING_SELECTORS.item).toArray();
    const links = rows.map((row) => new URL($(row).find(SCO_LISTING_SELECTORS.link).attr('href')!, source.candidates[0].url).toString());
    expect(links).toEqual(expected.map((item) => item.url));
    expect(rows.map((row) => $(row).find(SCO_LISTING_SELECTORS.title).text())).toEqual(expected.map((item) => item.title));
    expect(rows.map((row) => $(row).find(SCO_LISTING_SELECTORS.date).attr('datetime'))).toEqual(expected.map((item) => item.publishedAt));
    for (const link of links) expect(link).toMatch(new RegExp(`/sco/${id.slice(-2)}/\\d{8}/\\d{6}\\.html$`));

    // A loose selector would also collect the sidebar and navigation links.
    expect($('a[href]').length).toBeGreaterThan(rows.length * 2);
  });

  it('article pages carry the full text inside the content container, apart from the page chrome', async () => {
    const item = demo.items('demo-sco-ru')[0];
    const page = await get(item.url);
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.bytes.toString('utf8'));
    expect($('h1')).toHaveLength(1);
    expect($(SCO_ARTICLE_SELECTORS.title).text()).toBe(item.title);
    expect($(SCO_ARTICLE_SELECTORS.date).attr('datetime')).toBe(item.publishedAt);
    const content = $(SCO_ARTICLE_SELECTORS.content).text();
    for (const paragraph of item.paragraphs) expect(content).toContain(paragraph);
    expect($('body').text()).toContain('cookie');
    expect(content).not.toContain('cookie');
    expect(content).not.toContain('Самое читаемое');
  });

  it('publishes a live article at the top of the listing', async () => {
    const added = demo.addItem('demo-sco-en', {
      title: 'SCO experts discuss Afghan opiate routes',
      paragraphs: ['The experts met at the Secretariat.', 'They agreed on a joint analytical report.'],
      topics: ['afghanistan-opiates', 'anti-drug-cooperation'],
    });
    expect(added.url).toMatch(/\/sco\/en\/\d{8}\/\d{6,}\.html$/);
    const $ = cheerio.load((await get(`${demo.baseUrl}/sco/en/news/`)).bytes.toString('utf8'));
    expect($(SCO_LISTING_SELECTORS.item).first().find(SCO_LISTING_SELECTORS.link).attr('href')).toBe(new URL(added.url).pathname);
    const article = cheerio.load((await get(added.url)).bytes.toString('utf8'));
    expect(article(SCO_ARTICLE_SELECTORS.content).text()).toContain('joint analytical report');
  });
});

describe('demo feed server: the site as a whole', () => {
  it('gives every item its own URL, and every article page answers', async () => {
    const items = demo.items();
    expect(new Set(items.map((item) => item.url)).size).toBe(items.length);
    for (const item of items) {
      const page = await get(item.url);
      expect([item.url, page.status]).toEqual([item.url, 200]);
    }
  });

  it('every source candidate but the deliberate 404 answers 200', async () => {
    for (const source of demo.sources) {
      const statuses = await Promise.all(source.candidates.map(async (candidate) => (await get(candidate.url)).status));
      expect(statuses[statuses.length - 1]).toBe(200);
    }
  });

  it('is read in full by the project\'s own feed reader, with configs valid in the sources-file schema', async () => {
    for (const source of demo.sources) {
      const config = parseSourceConfig(source, source.id);
      const url = source.candidates[source.candidates.length - 1].url;
      const response = await fetch(url);
      const { text } = decodeBody(Buffer.from(await response.arrayBuffer()), response.headers.get('content-type'));
      const read = source.candidates[0].kind === 'listing' ? scrapeListing(text, url, config.listing!) : parseFeed(text, url).items;
      const expected = demo.items(source.id as DemoSourceId);
      expect([source.id, read.map((item) => item.link)]).toEqual([source.id, expected.map((item) => item.url)]);
      // The reader strips markup from feed titles by design; plain titles must come through unchanged.
      const plain = expected.flatMap((item, index) => (item.title.includes('<') ? [] : [[read[index].title, item.title]]));
      for (const [got, want] of plain) expect(got).toBe(want);
      if (source.id === 'demo-sco-en') {
        // The listing path keeps a quoted <script> headline as literal text, all the way to the UI.
        expect(read.some((item) => item.title?.includes('<script>alert(1)</script>'))).toBe(true);
      }
    }
  });

  it("is collected in full by the project's own poller, which reads robots.txt first and is let in everywhere", async () => {
    const fetcher = new FeedFetcher({ allowPrivateHosts: [new URL(demo.baseUrl).host], timeoutMs: 5000 });
    const published: RawArticle[] = [];
    const before = demo.requests.length;
    const poller = new FeedPoller({
      sources: new SourceRegistry(new MemorySourceOverrides(), demo.sources.map((source) => parseSourceConfig(source, source.id))),
      store: new MemorySourceStateStore(),
      fetcher,
      hostGapMs: 0,
      publish: async (articles) => {
        published.push(...articles);
      },
    });
    try {
      for (const source of demo.sources) {
        // A poll reads a bounded number of article pages; the rest come with the next polls.
        for (let poll = 0; poll < 10; poll++) {
          const outcome = await poller.pollNow(source.id);
          expect([source.id, outcome.ok]).toEqual([source.id, true]);
          if (!outcome.published) break;
        }
        const health = (await poller.health(source.id))!;
        expect([source.id, health.status, health.pagesNotRead]).toEqual([source.id, 'healthy', []]);
        const got = published.filter((article) => article.sourceId === source.id).map((article) => article.url).sort();
        expect([source.id, got]).toEqual([source.id, demo.items(source.id as DemoSourceId).map((item) => item.url).sort()]);
      }
    } finally {
      await fetcher.close();
    }
    const robots = demo.requests.slice(before).filter((request) => request.path === '/robots.txt');
    expect(robots).toEqual([expect.objectContaining({ status: 200, userAgent: DEFAULT_USER_AGENT })]);
  });

  it('serves robots.txt and 404 for unknown paths', async () => {
    const robots = await get(`${demo.baseUrl}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.bytes.toString()).toMatch(/^User-agent: \*/);
    expect((await get(`${demo.baseUrl}/sco/en/20990101/000000.html`)).status).toBe(404);
  });

  it('logs requests with their status', async () => {
    const before = demo.requests.length;
    await get(`${demo.baseUrl}/robots.txt`, { 'User-Agent': 'demo-spec' });
    expect(demo.requests.slice(before)).toEqual([expect.objectContaining({ method: 'GET', path: '/robots.txt', status: 200, userAgent: 'demo-spec' })]);
  });
});
