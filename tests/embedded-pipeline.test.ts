import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorProcess, eventually, startMonitor } from './support/monitor-process';
import { SseClient } from './support/sse-client';

// The embedded monitor end to end, as a user runs it: a real feed server on loopback, the real
// monitor process, HTTP and SSE on loopback. Texts are written for this test.
const HEROIN_ITEM = {
  link: '/news/2026/heroin-seizure.html',
  title: 'Border guards seize 400 kg of Afghan heroin in joint operation',
  description:
    '<p>Customs and drug-control agencies of three SCO member states intercepted a shipment of heroin that had been trafficked from Afghanistan ' +
    'along the northern route. The joint anti-drug operation targeted opium and heroin smuggling networks.</p><script>alert(1)</script>',
};
const OFF_TOPIC_ITEM = {
  link: '/news/2026/railway.html',
  title: 'New railway link opens between two capitals',
  description: '<p>Ministers opened a railway line that will carry passengers and grain between the two capitals.</p>',
};

function rss(items: { link: string; title: string; description: string }[], base: string): string {
  const body = items
    .map(
      (item) => `<item><title>${escape(item.title)}</title><link>${base}${item.link}</link>
        <description>${escape(item.description)}</description><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>${base}</link>${body}</channel></rss>`;
}

// A site read as an HTML listing whose robots.txt keeps crawlers out of one listing and one article page.
const SITE_ROBOTS = 'User-agent: *\nDisallow: /closed/\nDisallow: /site/news/secret.html\n';
const SITE_LISTING = `<html><body><ul>
  <li class="news-item"><a href="/site/news/allowed.html">Customs seize precursor chemicals at the border</a><p class="teaser">A short teaser.</p></li>
  <li class="news-item"><a href="/site/news/secret.html">Ministers meet behind closed doors</a><p class="teaser">The listing's own teaser.</p></li>
</ul></body></html>`;
const sitePage = (text: string) => `<html><body><nav>menu</nav><div class="article-body"><p>${text}</p></div></body></html>`;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

describe('embedded monitor end to end', () => {
  let feedServer: Server;
  let feedBase: string;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;
  const adminKey = 'test-admin-key-0123456789abcdef';
  let env: Record<string, string>;
  const siteRequests: string[] = [];

  beforeAll(async () => {
    feedServer = createServer((req, res) => {
      if (req.url === '/robots.txt' || req.url?.startsWith('/site/') || req.url?.startsWith('/closed/')) siteRequests.push(req.url);
      const html = { 'Content-Type': 'text/html; charset=utf-8' };
      if (req.url === '/robots.txt') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(SITE_ROBOTS);
      } else if (req.url === '/site/news/' || req.url === '/closed/news/') {
        res.writeHead(200, html).end(SITE_LISTING);
      } else if (req.url === '/site/news/allowed.html') {
        res.writeHead(200, html).end(sitePage('Customs officers seized forty tonnes of acetic anhydride, a heroin precursor, in a warehouse near the border.'));
      } else if (req.url === '/site/news/secret.html') {
        res.writeHead(200, html).end(sitePage('Text a crawler was asked not to read.'));
      } else if (req.url === '/a.xml') {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
        res.end(rss([HEROIN_ITEM, OFF_TOPIC_ITEM], feedBase));
      } else if (req.url === '/b.xml') {
        // The same story in a second feed, with a tracking parameter: still one article.
        res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
        res.end(rss([{ ...HEROIN_ITEM, link: `${HEROIN_ITEM.link}?utm_source=rss` }], feedBase));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-e2e-'));
    const sourcesFile = join(dataDir, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          { id: 'test-a', name: 'Test A', organisation: 'UNODC', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${feedBase}/missing.xml`, kind: 'feed' }, { url: `${feedBase}/a.xml`, kind: 'feed' }] },
          { id: 'test-b', name: 'Test B', organisation: 'UN News', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${feedBase}/b.xml`, kind: 'feed' }] },
        ],
      }),
    );
    env = {
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      ADMIN_API_KEY: adminKey,
      ALLOW_PRIVATE_FEED_HOSTS: new URL(feedBase).host,
      POLLING: 'false',
    };
    monitor = await startMonitor(env);
  });

  afterAll(async () => {
    await monitor?.stop();
    feedServer.closeAllConnections();
    await new Promise((resolve) => feedServer.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.key) headers['X-API-Key'] = init.key;
    const response = await fetch(`${monitor!.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const poll = async (sourceId: string) => {
    const result = await api(`/sources/${sourceId}/poll`, { method: 'POST', key: adminKey });
    expect(result.status).toBe(200);
    return result.body;
  };

  it('collects, classifies, indexes, searches and alerts exactly once across re-polls and a restart', async () => {
    const minted = await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'analyst' }) });
    expect(minted.status).toBe(201);
    const analystKey: string = minted.body.key;

    const created = await api('/subscriptions', {
      method: 'POST',
      key: analystKey,
      body: JSON.stringify({ name: 'Afghan opiates', topics: ['afghanistan-opiates'], per: 'article' }),
    });
    expect(created.status).toBe(201);
    const subscriptionId: string = created.body.id;

    const stream = await SseClient.connect(`${monitor!.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey });
    expect(stream.status).toBe(200);

    await poll('test-a');
    await poll('test-b');

    const found = await eventually(async () => {
      const result = await api('/search?q=heroin');
      return result.body?.total >= 1 ? result.body : undefined;
    }, 'the article to be searchable');
    expect(found.total).toBe(1);
    const hit = found.hits[0];
    expect(hit.article.url).toBe(`${feedBase}${HEROIN_ITEM.link}`);
    expect(hit.article.topics.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['afghanistan-opiates', 'counter-narcotics-operations']));
    expect(hit.article.text).not.toContain('alert(1)');
    expect(JSON.stringify(hit.highlights)).toContain('<mark>');
    expect(found.facets.topics).toEqual(expect.arrayContaining([{ key: 'afghanistan-opiates', count: 1 }]));
    // The feed's HTML, as sanitised at the collector, is kept for display; search hits leave it out.
    expect(hit.article).not.toHaveProperty('html');
    const opened = await api(`/articles/${hit.article.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.html).toMatch(/^<p>Customs and drug-control agencies .* heroin smuggling networks\.<\/p>/);
    expect(opened.body.html).not.toContain('script');

    const sources = await api('/sources');
    const a = sources.body.find((s: { id: string }) => s.id === 'test-a');
    expect(a.health.status).toBe('healthy');
    expect(a.health.activeUrl).toBe(`${feedBase}/a.xml`);

    await eventually(async () => stream.events.filter((e) => e.event !== 'ready').length >= 1, 'the alert over SSE');
    await poll('test-a');
    await poll('test-b');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const alerts = stream.events.filter((e) => e.data.includes(subscriptionId));
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0].data)).toMatchObject({ subscriptionId, articleId: hit.article.id, title: HEROIN_ITEM.title });
    const lastEventId = alerts[0].id!;
    stream.close();

    // Restart the process on the same data directory: nothing doubled, nothing lost.
    await monitor!.stop();
    monitor = await startMonitor(env);
    const resumed = await SseClient.connect(`${monitor.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey, 'Last-Event-ID': lastEventId });
    await poll('test-a');
    await poll('test-b');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(resumed.events.filter((e) => e.data.includes(subscriptionId))).toHaveLength(0);
    resumed.close();

    const replay = await SseClient.connect(`${monitor.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey, 'Last-Event-ID': '0' });
    await eventually(async () => replay.events.some((e) => e.data.includes(subscriptionId)), 'the replay from Last-Event-ID 0');
    expect(replay.events.filter((e) => e.data.includes(subscriptionId))).toHaveLength(1);
    replay.close();

    const again = await api('/search?q=heroin');
    expect(again.body.total).toBe(1);
  });

  it("reads no listing or article page that the site's robots.txt disallows, shows why in the source's health, and collects the rest", async () => {
    const add = async (body: object) => expect((await api('/sources', { method: 'POST', key: adminKey, body: JSON.stringify(body) })).status).toBe(201);
    const site = { organisation: 'SCO', language: 'en', enabled: true, pollIntervalMinutes: 60, listing: { item: '.news-item', link: 'a', summary: '.teaser' }, article: { content: '.article-body' } };
    await add({ ...site, id: 'robots-site', name: 'Site', candidates: [{ url: `${feedBase}/site/news/`, kind: 'listing' }] });
    await add({ ...site, id: 'robots-closed', name: 'Closed', candidates: [{ url: `${feedBase}/closed/news/`, kind: 'listing' }] });

    expect(await poll('robots-closed')).toMatchObject({ ok: false, error: { code: 'ROBOTS_DISALLOWED' } });
    expect(await poll('robots-site')).toMatchObject({ ok: true, published: 2 });

    const sources = (await api('/sources')).body as Array<{ id: string; health: Record<string, unknown> }>;
    const closed = sources.find((s) => s.id === 'robots-closed')!.health;
    expect(closed).toMatchObject({
      status: 'failing',
      lastError: { code: 'ROBOTS_DISALLOWED', message: `not fetched: ${feedBase}/robots.txt disallows ${feedBase}/closed/news/ for drug-control-monitor (line 2)` },
    });
    const open = sources.find((s) => s.id === 'robots-site')!.health;
    expect(open).toMatchObject({
      status: 'healthy',
      lastError: null,
      pagesNotRead: [
        {
          url: `${feedBase}/site/news/secret.html`,
          code: 'ROBOTS_DISALLOWED',
          message: `not fetched: ${feedBase}/robots.txt disallows ${feedBase}/site/news/secret.html for drug-control-monitor (line 3)`,
        },
      ],
    });
    // The dashboard's rows: the closed source red with its reason, the other green with why a page was not read.
    const rows = (await api('/ops/overview')).body.sources.items as Array<{ id: string; severity: string; reason: string | null }>;
    expect(rows.find((r) => r.id === 'robots-closed')).toMatchObject({ severity: 'error', reason: expect.stringMatching(/^ROBOTS_DISALLOWED: .*\/closed\/news\//) });
    expect(rows.find((r) => r.id === 'robots-site')).toMatchObject({ severity: 'ok', reason: expect.stringMatching(/^ROBOTS_DISALLOWED: .*\/site\/news\/secret\.html/) });

    // The allowed page was read in full; the disallowed one went out with what the listing said, its page never asked for.
    const allowed = await eventually(async () => (await api('/search?q=anhydride&sources=robots-site')).body?.hits?.[0]?.article, 'the allowed article to be searchable');
    expect(allowed.url).toBe(`${feedBase}/site/news/allowed.html`);
    const secret = await eventually(async () => (await api('/search?q=ministers&sources=robots-site')).body?.hits?.[0]?.article, 'the listed article to be searchable');
    expect(secret.text).toBe("The listing's own teaser.");
    expect(siteRequests).toEqual(['/robots.txt', '/site/news/', '/site/news/allowed.html']);
  });

  it('answers bad requests with the field named, 401 without a key and 404 for another key’s subscription', async () => {
    const bad = await api('/search?size=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('size');

    expect((await api('/subscriptions')).status).toBe(401);
    expect((await api('/subscriptions', { key: 'wrong-key' })).status).toBe(401);

    const one = (await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'one' }) })).body.key;
    const two = (await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'two' }) })).body.key;
    const mine = await api('/subscriptions', { method: 'POST', key: one, body: JSON.stringify({ topics: ['precursors'] }) });
    expect((await api(`/subscriptions/${mine.body.id}`, { key: two })).status).toBe(404);
    expect((await api(`/subscriptions/${mine.body.id}`, { key: one })).status).toBe(200);

    const invalid = await api('/subscriptions', { method: 'POST', key: one, body: JSON.stringify({ topics: ['heroin'] }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toMatch(/^topics/);

    const notAdmin = await api('/sources/test-a/poll', { method: 'POST', key: one });
    expect(notAdmin.status).toBe(403);
  });
});
