import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoFeedServer, startDemoFeedServer } from '@monitor/demo';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { AlertStream, StackApi, expectHealthy, indexedCounts } from './support/stack-checks';
import { RunningStack, STACK_SERVICES, startStack } from './support/stack-services';

// The production stack end to end, as an operator runs it: the demo feed site on loopback, the
// five services as separate processes in stack mode, real Kafka and Elasticsearch in between.
// Feed items → collector → news.raw.v1 → classifier → news.classified.v1 → indexer →
// Elasticsearch → GET /search on the api; → alerter → ledger → SSE on the api.
const SOURCES = ['demo-unodc', 'demo-un-news-en'] as const;

describe('the stack end to end (five processes, Kafka, Elasticsearch)', () => {
  let feeds: DemoFeedServer;
  let stack: RunningStack | undefined;
  let api: StackApi;
  let elasticsearchUrl: string;
  let scratch: string;

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    elasticsearchUrl = elasticsearch.url;
    feeds = await startDemoFeedServer();
    scratch = mkdtempSync(join(tmpdir(), 'stack-e2e-'));
    const sourcesFile = join(scratch, 'sources.json');
    writeFileSync(sourcesFile, JSON.stringify({ sources: feeds.sources.filter((s) => (SOURCES as readonly string[]).includes(s.id)) }));
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl,
      env: { SOURCES_FILE: sourcesFile, ALLOW_PRIVATE_FEED_HOSTS: new URL(feeds.baseUrl).host },
    });
    api = new StackApi(stack.url('api'), stack.adminKey);
  }, 10 * 60_000);

  afterAll(async () => {
    await stack?.close();
    await feeds?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('collects, classifies, indexes, answers search from Elasticsearch and alerts over SSE exactly once', async () => {
    try {
      await expectHealthy(STACK_SERVICES.map((service) => stack!.url(service)));
      const analyst = await api.subscribeAnalyst(['afghanistan-opiates']);
      const alerts = await AlertStream.open(api, analyst.key);

      for (const source of SOURCES) {
        const polled = await api.poll(source);
        expect(polled.status).toBe(200);
      }
      const published = SOURCES.flatMap((source) => feeds.items(source));
      const searchAll = `/search?sources=${SOURCES.join(',')}&size=100`;
      const all = await eventually(async () => {
        const result = await api.request(searchAll);
        return result.body?.total === published.length ? result.body : undefined;
      }, `all ${published.length} feed items to be searchable`, 90_000);
      expect(new Set(all.hits.map((hit: { article: { url: string } }) => hit.article.url))).toEqual(new Set(published.map((item) => item.url)));

      // The answer comes from Elasticsearch: the stack's own index holds every article once.
      const counts = await indexedCounts(elasticsearchUrl, stack!.alias);
      expect(counts.size).toBe(published.length);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);

      const heroin = await api.request('/search?q=heroin&topics=afghanistan-opiates');
      expect(heroin.status).toBe(200);
      expect(heroin.body.total).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(heroin.body.hits[0].highlights)).toContain('<mark>');
      expect(heroin.body.facets.topics).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'afghanistan-opiates' })]));

      const opiates = await api.request(`/search?topics=afghanistan-opiates&sources=${SOURCES.join(',')}&size=100`);
      const opiateIds: string[] = opiates.body.hits.map((hit: { article: { id: string } }) => hit.article.id);
      expect(opiateIds.length).toBeGreaterThanOrEqual(1);
      await eventually(async () => opiateIds.every((id) => alerts.countsFor(analyst.subscriptionId).has(id)), 'an alert per opiates article over SSE', 60_000);

      // A new announcement appears on the site: the next poll brings exactly it, once.
      const fresh = feeds.addItem('demo-unodc', {
        title: 'Joint operation intercepts Afghan heroin on the northern route',
        paragraphs: [
          'Drug-control officers of three neighbouring states intercepted 300 kilograms of heroin trafficked from Afghanistan along the northern route.',
          'The opiates were hidden in a shipment of construction materials; four couriers were detained in the joint operation.',
        ],
        topics: ['afghanistan-opiates', 'counter-narcotics-operations'],
      });
      for (const source of SOURCES) expect((await api.poll(source)).status).toBe(200);
      const found = await eventually(async () => {
        const result = await api.request('/search?q=%22northern%20route%22%20construction');
        return result.body?.total === 1 ? result.body.hits[0].article : undefined;
      }, 'the new announcement to be searchable', 60_000);
      expect(found.url).toBe(fresh.url);
      expect(found.topics.map((topic: { id: string }) => topic.id)).toContain('afghanistan-opiates');
      await eventually(async () => alerts.countsFor(analyst.subscriptionId).has(found.id), 'the alert for the new announcement', 60_000);

      // Polling once more changes nothing: no second document, no second alert.
      for (const source of SOURCES) expect((await api.poll(source)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect((await api.request(searchAll)).body.total).toBe(published.length + 1);
      const perArticle = alerts.countsFor(analyst.subscriptionId);
      expect(perArticle.size).toBe(opiateIds.length + 1);
      expect([...perArticle.values()].every((count) => count === 1)).toBe(true);
      const ledger = await api.ledger(analyst.key);
      expect(ledger.filter((entry) => entry.subscriptionId === analyst.subscriptionId)).toHaveLength(opiateIds.length + 1);
      alerts.close();
      await expectHealthy(STACK_SERVICES.map((service) => stack!.url(service)));
      // Stateless services: every process ran with a DATA_DIR of its own, and none of them
      // created or opened a SQLite file there (all state is in Kafka and Elasticsearch).
      expect(stack!.sqliteFiles()).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack!.output()}`);
    }
  });
});
