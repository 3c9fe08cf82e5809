import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { MonitorProcess, REPO_ROOT, eventually, startMonitor } from './support/monitor-process';
import { TestFeed, serveFeed, writeOneFeedSource } from './support/test-feed';
import { SseClient } from './support/sse-client';

// Re-classification against a real monitor process: articles indexed and alerted under taxonomy A,
// then re-run under taxonomy B (one topic appears, one disappears) through the admin API, then back
// to A with the command line on the stopped monitor's data file. Texts are written for this test.
const HEROIN_ITEM = {
  link: '/news/2026/heroin-route.html',
  title: 'Border guards seize 300 kg of Afghan heroin in joint anti-drug operation',
  description:
    '<p>Drug-control agencies of two SCO member states intercepted a consignment of heroin trafficked from Afghanistan along the northern route. ' +
    'The joint anti-drug operation targeted opium and heroin smuggling networks and ended with a controlled delivery.</p>',
};
const RAILWAY_ITEM = {
  link: '/news/2026/railway-line.html',
  title: 'A new railway line opens between two capitals',
  description: '<p>Ministers opened a railway line that will carry passengers and grain between the two capitals.</p>',
};

function rss(items: { link: string; title: string; description: string }[], base: string): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (item) => `<item><title>${escape(item.title)}</title><link>${base}${item.link}</link>
        <description>${escape(item.description)}</description><pubDate>Wed, 04 Nov 2026 09:00:00 GMT</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>${base}</link>${body}</channel></rss>`;
}

interface TaxonomyDoc {
  version: string;
  topics: { id: string; threshold: number; terms: { weight: number; en?: string[] }[] }[];
}

/** Taxonomy A is the shipped one under a test version; B drops one topic and adds another for the heroin story. */
function writeTaxonomies(dir: string): { a: string; b: string } {
  const shipped = parse(readFileSync(join(REPO_ROOT, 'libs/classifier/taxonomy/taxonomy.yaml'), 'utf8')) as TaxonomyDoc;
  const a: TaxonomyDoc = { ...shipped, version: 'test-a' };
  const b: TaxonomyDoc = structuredClone({ ...shipped, version: 'test-b' });
  const operations = b.topics.find((t) => t.id === 'counter-narcotics-operations')!;
  operations.threshold = 1000;
  const precursors = b.topics.find((t) => t.id === 'precursors')!;
  precursors.terms.push({ weight: 10, en: ['northern route'] });
  const files = { a: join(dir, 'taxonomy-a.yaml'), b: join(dir, 'taxonomy-b.yaml') };
  writeFileSync(files.a, stringify(a));
  writeFileSync(files.b, stringify(b));
  return files;
}

interface Hit {
  article: { id: string; url: string; taxonomyVersion: string; topics: { id: string }[] };
}

describe('re-classification of stored articles', () => {
  let feed: TestFeed;
  let feedBase: string;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;
  let env: Record<string, string>;
  let taxonomies: { a: string; b: string };
  const adminKey = 'test-admin-key-reclassify-0123456789';

  beforeAll(async () => {
    feed = await serveFeed((base) => rss([HEROIN_ITEM, RAILWAY_ITEM], base));
    feedBase = feed.base;
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-reclassify-'));
    taxonomies = writeTaxonomies(dataDir);
    const sourcesFile = writeOneFeedSource(dataDir, feed);
    env = {
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      TAXONOMY_FILE: taxonomies.a,
      ADMIN_API_KEY: adminKey,
      ALLOW_PRIVATE_FEED_HOSTS: new URL(feedBase).host,
      POLLING: 'false',
    };
    monitor = await startMonitor(env);
  });

  afterAll(async () => {
    await monitor?.stop();
    await feed.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.key) headers['X-API-Key'] = init.key;
    const response = await fetch(`${monitor!.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const allArticles = async (): Promise<{ total: number; byUrl: Map<string, Hit['article']> }> => {
    const result = await api('/search?size=50');
    expect(result.status).toBe(200);
    return { total: result.body.total, byUrl: new Map((result.body.hits as Hit[]).map((h) => [h.article.url, h.article])) };
  };
  const topicIds = (article: Hit['article'] | undefined): string[] => (article?.topics ?? []).map((t) => t.id).sort();

  it('updates topics in place under a new taxonomy and alerts only subscriptions that newly match', async () => {
    const analystKey: string = (await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'analyst' }) })).body.key;
    const subscribe = async (topic: string): Promise<string> => {
      const created = await api('/subscriptions', { method: 'POST', key: analystKey, body: JSON.stringify({ name: topic, topics: [topic], per: 'article' }) });
      expect(created.status).toBe(201);
      return created.body.id;
    };
    const opiates = await subscribe('afghanistan-opiates');
    const operations = await subscribe('counter-narcotics-operations');
    const precursors = await subscribe('precursors');
    const stream = await SseClient.connect(`${monitor!.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey });
    const alertsFor = (events: { data: string }[], subscription: string) => events.filter((e) => e.data.includes(`"subscriptionId":"${subscription}"`));

    expect((await api('/sources/test/poll', { method: 'POST', key: adminKey })).status).toBe(200);
    const before = await eventually(async () => {
      const all = await allArticles();
      return all.total === 2 ? all : undefined;
    }, 'both articles indexed');
    const heroinUrl = `${feedBase}${HEROIN_ITEM.link}`;
    const railwayUrl = `${feedBase}${RAILWAY_ITEM.link}`;
    const heroinId = before.byUrl.get(heroinUrl)!.id;
    expect(topicIds(before.byUrl.get(heroinUrl))).toEqual(expect.arrayContaining(['afghanistan-opiates', 'counter-narcotics-operations']));
    expect(topicIds(before.byUrl.get(heroinUrl))).not.toContain('precursors');
    expect(before.byUrl.get(railwayUrl)?.taxonomyVersion).toBe('test-a');
    await eventually(async () => alertsFor(stream.events, opiates).length === 1 && alertsFor(stream.events, operations).length === 1, 'alerts under A');

    // Only an admin may re-classify, and a malformed file is refused before anything changes.
    expect((await api('/admin/reclassify', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await api('/admin/reclassify', { method: 'POST', key: analystKey, body: '{}' })).status).toBe(403);
    const broken = join(dataDir, 'broken.yaml');
    writeFileSync(broken, 'version: x\ntopics:\n  - id: precursors\n    threshold: high\n');
    const refused = await api('/admin/reclassify', { method: 'POST', key: adminKey, body: JSON.stringify({ taxonomyFile: broken }) });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(broken);

    const report = await api('/admin/reclassify', { method: 'POST', key: adminKey, body: JSON.stringify({ taxonomyFile: taxonomies.b }) });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ taxonomyVersion: 'test-b', scanned: 2, changed: 1, unchanged: 1, updated: 2 });

    // In place: the same two documents, same ids, new topics and version on each.
    const after = await allArticles();
    expect(after.total).toBe(2);
    expect(after.byUrl.get(heroinUrl)?.id).toBe(heroinId);
    expect(topicIds(after.byUrl.get(heroinUrl))).toContain('precursors');
    expect(topicIds(after.byUrl.get(heroinUrl))).not.toContain('counter-narcotics-operations');
    expect([...after.byUrl.values()].map((a) => a.taxonomyVersion)).toEqual(['test-b', 'test-b']);
    expect((await api('/search?topics=precursors')).body.total).toBe(1);

    // The newly matching subscription gets its alert once; those already alerted get nothing more.
    await eventually(async () => alertsFor(stream.events, precursors).length >= 1, 'the alert for the newly matching subscription');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alertsFor(stream.events, precursors)).toHaveLength(1);
    expect(JSON.parse(alertsFor(stream.events, precursors)[0].data)).toMatchObject({ articleId: heroinId });
    expect(alertsFor(stream.events, opiates)).toHaveLength(1);
    expect(alertsFor(stream.events, operations)).toHaveLength(1);
    stream.close();

    // The republished event went through the indexer too: still two documents, still version B.
    const settled = await allArticles();
    expect(settled.total).toBe(2);
    expect(settled.byUrl.get(heroinUrl)?.taxonomyVersion).toBe('test-b');

    // Back to A with the command line, on the stopped monitor's data file.
    await monitor!.stop();
    monitor = undefined;
    const cli = spawnSync(process.execPath, ['-r', 'reflect-metadata', '-r', '@swc-node/register', 'services/api/src/reclassify-cli.ts', '--taxonomy', taxonomies.a, '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ taxonomyVersion: 'test-a', scanned: 2, changed: 1, unchanged: 1, updated: 2 });

    monitor = await startMonitor(env);
    const reverted = await allArticles();
    expect(reverted.total).toBe(2);
    expect(topicIds(reverted.byUrl.get(heroinUrl))).toContain('counter-narcotics-operations');
    expect(topicIds(reverted.byUrl.get(heroinUrl))).not.toContain('precursors');
    expect(reverted.byUrl.get(railwayUrl)?.taxonomyVersion).toBe('test-a');

    // The queued event is handled after the restart; every subscription still has exactly one alert.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const replay = await SseClient.connect(`${monitor.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey, 'Last-Event-ID': '0' });
    await eventually(async () => alertsFor(replay.events, precursors).length >= 1, 'the replay of stored alerts');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([opiates, operations, precursors].map((id) => alertsFor(replay.events, id).length)).toEqual([1, 1, 1]);
    replay.close();
    expect((await allArticles()).total).toBe(2);
  });
});
