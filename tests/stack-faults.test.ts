import { BUS_TOPICS, HEADERS, deadLetterTopic } from '@monitor/contracts';
import { IncomingMessage, publishEvents } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import {
  ElasticsearchPorts,
  KafkaPorts,
  ensureElasticsearch,
  ensureKafka,
  freePort,
  purgeElasticsearch,
  purgeKafka,
  stopElasticsearch,
  stopKafka,
} from './infra-servers';
import { eventually } from './support/monitor-process';
import { AlertStream, StackApi, expectExactlyOnce, expectHealthy } from './support/stack-checks';
import { RunningStack, StackService, startStack } from './support/stack-services';
import { ArticleStream, SteadyPublisher, testBus } from './support/stack-traffic';

// Faults an operator of the stack will meet, each on the real thing: the stack's services as
// processes, and a Kafka broker and an Elasticsearch node of this test's own (on free ports), so
// that stopping them disturbs no other test. Articles are published straight to news.raw.v1, as
// the collector would. Each case ends with every article indexed exactly once and every alert
// delivered exactly once, counting everything published since the first case.
const SERVICES: StackService[] = ['classifier', 'indexer', 'alerter', 'api'];
const CASE_TIMEOUT_MS = 6 * 60_000;

describe('the stack under faults', () => {
  let kafkaPorts: KafkaPorts;
  let elasticPorts: ElasticsearchPorts;
  let elasticsearchUrl: string;
  let stack: RunningStack | undefined;
  let bus: KafkaBus;
  let api: StackApi;
  let alerts: AlertStream;
  let analyst: { key: string; subscriptionId: string };
  const stream = new ArticleStream();

  const everythingOnce = () =>
    expectExactlyOnce({
      api,
      elasticsearchUrl,
      alias: stack!.alias,
      ids: stream.ids,
      alertIds: stream.alertIds,
      alerts,
      analystKey: analyst.key,
      subscriptionId: analyst.subscriptionId,
      searchFilter: 'sources=stack-test',
      timeoutMs: 180_000,
    });
  const allHealthy = () => expectHealthy(SERVICES.map((service) => stack!.url(service)), 120_000);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** A failure shows the services' logs, which say what they went through. */
  const withLogs = async (body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  };

  beforeAll(async () => {
    kafkaPorts = { port: await freePort(), controllerPort: await freePort() };
    elasticPorts = { port: await freePort(), transportPort: await freePort() };
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(kafkaPorts), ensureElasticsearch(elasticPorts)]);
    elasticsearchUrl = elasticsearch.url;
    stack = await startStack({ brokers: kafka.brokers, elasticsearchUrl, services: SERVICES });
    bus = testBus(kafka.brokers, stack.topicPrefix);
    api = new StackApi(stack.url('api'), stack.adminKey);
    analyst = await api.subscribeAnalyst(['afghanistan-opiates']);
    alerts = await AlertStream.open(api, analyst.key);
  }, 10 * 60_000);

  afterAll(async () => {
    alerts?.close();
    await bus?.close();
    // The servers are this test's own: stopping them (and their data) removes the stack's too.
    await stack?.close();
    await Promise.all([kafkaPorts && purgeKafka(kafkaPorts), elasticPorts && purgeElasticsearch(elasticPorts)]);
  }, 3 * 60_000);

  it(
    'sends a malformed message on news.raw.v1 to news.raw.v1.dlq with its reason, and the rest flows',
    () =>
      withLogs(async () => {
        const dead: IncomingMessage[] = [];
        const reader = await bus.consume({
          topic: deadLetterTopic(BUS_TOPICS.raw),
          group: 'stack-test-dlq-reader',
          handleBatch: async (batch) => {
            dead.push(...batch);
          },
        });
        try {
          await publishEvents(bus, BUS_TOPICS.raw, stream.take(30));
          await bus.publish(BUS_TOPICS.raw, [
            { key: 'not-json', value: '{"schema":"news.raw.v1", "id":', headers: { [HEADERS.traceId]: 'trace-not-json' } },
            {
              key: 'bad-url',
              value: JSON.stringify({ ...stream.uncounted(), url: 'not a url' }),
              headers: { [HEADERS.traceId]: 'trace-bad-url' },
            },
          ]);
          await publishEvents(bus, BUS_TOPICS.raw, stream.take(30));

          await eventually(async () => dead.length >= 2, 'both malformed messages on news.raw.v1.dlq', 60_000);
          const byKey = new Map(dead.map((message) => [message.key, message]));
          expect(byKey.get('not-json')?.headers[HEADERS.deadLetterReason]).toMatch(/JSON/i);
          expect(byKey.get('bad-url')?.headers[HEADERS.deadLetterReason]).toMatch(/url/);
          expect(byKey.get('bad-url')?.headers[HEADERS.deadLetterCode]).toBe('VALIDATION_FAILED');
          expect(byKey.get('bad-url')?.headers[HEADERS.traceId]).toBe('trace-bad-url');
          expect(byKey.get('not-json')?.headers[HEADERS.deadLetterSourceTopic]).toMatch(/^news\.raw\.v1\/\d+@\d+$/);
          await everythingOnce();
          expect(dead).toHaveLength(2);
        } finally {
          await reader.stop();
        }
      }),
    CASE_TIMEOUT_MS,
  );

  it(
    'loses and doubles nothing when the classifier and the indexer are killed (SIGKILL) mid-batch and restarted',
    () =>
      withLogs(async () => {
        const burst = stream.take(3_000);
        const lagOf = async (group: string, topic: string) => (await bus.lag(group, topic)).reduce((sum, p) => sum + p.lag, 0);
        for (let i = 0; i < burst.length; i += 250) await publishEvents(bus, BUS_TOPICS.raw, burst.slice(i, i + 250));
        // Kill once the indexer has committed part of its work and has more to do; the classifier,
        // slower to catch up with a 3,000-article burst, is then usually mid-stream too.
        let peak = 0;
        const moment = await eventually(
          async () => {
            const [classifierLag, indexerLag] = await Promise.all([
              lagOf('classifier', BUS_TOPICS.raw),
              lagOf('indexer', BUS_TOPICS.classified),
            ]);
            peak = Math.max(peak, indexerLag);
            return indexerLag > 0 && indexerLag < peak ? { classifierLag, indexerLag } : undefined;
          },
          'the indexer to be mid-stream',
          60_000,
        );
        await Promise.all([stack!.stop('classifier', 'SIGKILL'), stack!.stop('indexer', 'SIGKILL')]);
        expect(moment.indexerLag).toBeGreaterThan(0);
        await Promise.all([stack!.start('classifier'), stack!.start('indexer')]);
        await everythingOnce();
        await allHealthy();
      }),
    CASE_TIMEOUT_MS,
  );

  it(
    'loses and doubles nothing when the Kafka broker is stopped for 10 s mid-stream and restarted',
    () =>
      withLogs(async () => {
        const publisher = new SteadyPublisher(bus, stream).start();
        await sleep(3_000);
        await stopKafka(kafkaPorts);
        await sleep(10_000);
        await ensureKafka(kafkaPorts);
        await sleep(3_000);
        await publisher.stop();
        expect(publisher.published).toBeGreaterThan(0);
        await everythingOnce();
        await allHealthy();
      }),
    CASE_TIMEOUT_MS,
  );

  it(
    'loses and doubles nothing when Elasticsearch is stopped for 30 s while articles keep coming',
    () =>
      withLogs(async () => {
        const publisher = new SteadyPublisher(bus, stream).start();
        await sleep(3_000);
        await stopElasticsearch(elasticPorts);
        const before = publisher.published;
        await sleep(30_000);
        // Articles kept arriving while the node was down; they wait in Kafka, not in memory.
        expect(publisher.published).toBeGreaterThan(before);
        await ensureElasticsearch(elasticPorts);
        await sleep(3_000);
        await publisher.stop();
        await everythingOnce();
        await allHealthy();
      }),
    CASE_TIMEOUT_MS,
  );
});
