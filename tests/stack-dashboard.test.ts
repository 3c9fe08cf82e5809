import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import { DemoFeedServer, startDemoFeedServer } from '@monitor/demo';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { REPO_ROOT, eventually } from './support/monitor-process';
import { StackApi } from './support/stack-checks';
import { RunningStack, startStack } from './support/stack-services';

// The dashboard in a real browser against the production stack: five service processes, real
// Kafka and Elasticsearch. What only the stack has is checked here: consumer lag per group and
// partition read from Kafka, the stages' activity read from their own processes (a stopped stage
// is named, not shown as idle), and the bulk latency the indexer process measured.
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SOURCES = ['demo-unodc', 'demo-un-news-en', 'demo-incb'] as const;
const LIVE_TITLE = 'Border guards stop a lorry carrying 250 kg of Afghan heroin';

describe('the dashboard against the stack, in a browser', () => {
  let feeds: DemoFeedServer;
  let stack: RunningStack | undefined;
  let api: StackApi;
  let scratch: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `dashboard-stack-${name}.png`), fullPage: true });
  const overview = async () => (await api.request('/ops/overview')).body;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    feeds = await startDemoFeedServer();
    scratch = mkdtempSync(join(tmpdir(), 'stack-dashboard-'));
    const sourcesFile = join(scratch, 'sources.json');
    writeFileSync(sourcesFile, JSON.stringify({ sources: feeds.sources.filter((s) => (SOURCES as readonly string[]).includes(s.id)) }));
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elasticsearch.url,
      env: { SOURCES_FILE: sourcesFile, ALLOW_PRIVATE_FEED_HOSTS: new URL(feeds.baseUrl).host },
    });
    api = new StackApi(stack.url('api'), stack.adminKey);
    await api.subscribeAnalyst([]);
    for (const source of SOURCES) expect((await api.poll(source)).status).toBe(200);
    const published = SOURCES.flatMap((source) => feeds.items(source)).length;
    await eventually(async () => (await api.request(`/search?size=1`)).body?.total === published, `all ${published} demo articles to be searchable`, 90_000);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  }, 10 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await feeds?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const withOutput = async (run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  };

  it('shows the sources, consumer lag per group and partition from Kafka, and the indexer’s bulk writes', () =>
    withOutput(async () => {
      const response = await page.goto(`${stack!.url('api')}/`);
      expect(response?.status()).toBe(200);
      await page.locator('#live-state', { hasText: 'live' }).waitFor();
      await page.locator('tr.source-row').first().waitFor();
      expect(await page.locator('tr.source-row.sev-ok').count()).toBe(SOURCES.length);

      // Lag is read from the broker: one row per consumer group, one chip per partition.
      for (const group of ['classifier', 'indexer', 'alerter']) {
        const row = page.locator(`#pipeline tr[data-group="${group}"]`);
        await row.waitFor({ timeout: 20_000 });
        expect(await row.locator('.chip').count()).toBeGreaterThanOrEqual(1);
      }
      const lag = (await overview()).pipeline.lag;
      expect(lag.error).toBeNull();
      const indexerLag = lag.groups.find((g: { group: string }) => g.group === 'indexer');
      expect(indexerLag.partitions.map((p: { partition: number }) => p.partition)).toEqual([0, 1, 2]);

      // The bulk latency and the stage rates come from the indexer's and classifier's own processes.
      const pipeline = (await overview()).pipeline;
      expect(pipeline.unreachable).toEqual([]);
      expect(pipeline.lastBulk).toEqual(expect.objectContaining({ size: expect.any(Number), ms: expect.any(Number) }));
      await page.locator('#pipeline .last-bulk', { hasText: /documents? in \d+ ms/ }).waitFor();
      await screenshot('loaded');
    }));

  it('shows a new article moving through the stages and its alert, live', () =>
    withOutput(async () => {
      await page.evaluate("window.marker = 'same page'");
      feeds.addItem('demo-unodc', {
        title: LIVE_TITLE,
        paragraphs: [
          'Border guards stopped a lorry carrying 250 kilograms of heroin trafficked from Afghanistan along the northern route.',
          'The joint counter-narcotics operation of three states followed the opiates from the Afghan border.',
        ],
        topics: ['afghanistan-opiates', 'counter-narcotics-operations'],
      });
      expect((await api.poll('demo-unodc')).status).toBe(200);
      await page.locator('#alerts .recent .alert-item', { hasText: LIVE_TITLE }).waitFor({ timeout: 30_000 });
      // Each stage's rate counts the last ten seconds, summed from the stage processes.
      const rates = await eventually(async () => {
        const stages: Array<{ stage: string; eventsPerSecond: number }> = (await overview()).pipeline.stages;
        const rate = (name: string) => stages.find((s) => s.stage === name)?.eventsPerSecond ?? 0;
        return rate('collector') > 0 && rate('classifier') > 0 && rate('indexer') > 0 && rate('alerter') > 0 ? stages : undefined;
      }, 'every stage to show the new article in its rate', 10_000);
      expect(rates.length).toBeGreaterThanOrEqual(4);
      expect(await page.evaluate('window.marker')).toBe('same page');
      await screenshot('live-alert');
    }));

  it('turns a source red with the reason when its feed breaks', () =>
    withOutput(async () => {
      feeds.breakSource('demo-incb', 'http-500');
      await api.poll('demo-incb');
      const row = page.locator('tr.source-row[data-source-id="demo-incb"]');
      await row.and(page.locator('.sev-error')).waitFor({ timeout: 15_000 });
      expect(await row.locator('.reason').textContent()).toMatch(/500/);
      feeds.repairSource('demo-incb');
    }));

  it('names a stage process that stopped answering, and clears it when the stage is back', () =>
    withOutput(async () => {
      await stack!.stop('classifier');
      const notice = page.locator('#pipeline .unreachable li[data-service="classifier"]');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.textContent()).toContain(stack!.url('classifier'));
      await screenshot('stage-down');
      await stack!.start('classifier');
      await notice.waitFor({ state: 'detached', timeout: 15_000 });
      expect(pageErrors).toEqual([]);
    }));
});
