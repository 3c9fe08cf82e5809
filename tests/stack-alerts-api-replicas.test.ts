import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { publishEvents } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { SseClient } from './support/sse-client';
import { StackApi, expectHealthy } from './support/stack-checks';
import { RunningStack, startStack } from './support/stack-services';
import { ArticleStream, groupPartitions, metricValue, testBus } from './support/stack-traffic';

// The stack with two api replicas and two alerter replicas: a subscription made through one api
// replica reaches the matcher of every alerter replica (each alerts on the articles of its own
// partitions), and an SSE client that read some alerts from one api replica and resumes with its
// Last-Event-ID on the other gets exactly the rest, each once, in ledger order.
const TOPIC = 'afghanistan-opiates';
/** Every third article of an ArticleStream is on the topic: 90 give 30 alerts, spread over the partitions of both alerters. */
const ARTICLES = 90;

describe('alerts across api and alerter replicas on the stack', () => {
  let stack: RunningStack | undefined;
  let bus: KafkaBus | undefined;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elasticsearch.url,
      services: ['classifier', 'alerter', 'api'],
      replicas: { alerter: 2, api: 2 },
    });
    bus = testBus(kafka.brokers, stack.topicPrefix);
  }, 10 * 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await bus?.close();
    await stack?.close();
  });

  it('alerts on every alerter replica for a subscription made through another api replica, and resumes SSE across api replicas exactly', async () => {
    try {
      const [apiA, apiB] = [0, 1].map((replica) => new StackApi(stack!.url('api', replica), stack!.adminKey));
      await expectHealthy([stack!.url('api'), stack!.url('api', 1), stack!.url('alerter'), stack!.url('alerter', 1), stack!.url('classifier')]);
      const brokers = stack!.env.KAFKA_BROKERS.split(',');
      await eventually(
        async () => {
          const group = await groupPartitions(brokers, stack!.topicPrefix, CONSUMER_GROUPS.alerter, BUS_TOPICS.classified);
          return group.state === 'Stable' && group.partitions.length === 2 && group.partitions.every((p) => p.length > 0);
        },
        'the two alerter replicas to share the partitions of news.classified.v1',
        60_000,
      );
      const handled = () => Promise.all([0, 1].map((replica) => metricValue(stack!.url('alerter', replica), 'monitor_events_processed_total', 'stage="alerter"')));
      const alerted = () => Promise.all([0, 1].map((replica) => metricValue(stack!.url('alerter', replica), 'monitor_alerts_delivered_total', 'channel="sse"')));

      // Both alerters have matched articles (and loaded their matchers) before the subscription exists.
      const stream = new ArticleStream();
      await publishEvents(bus!, BUS_TOPICS.raw, stream.take(30));
      await eventually(async () => (await handled()).every((count) => count > 0) && (await handled()).reduce((a, b) => a + b) >= 30, 'both alerters to handle the first articles', 60_000);
      expect(await alerted()).toEqual([0, 0]);

      // The subscription is made through api replica B; the key was minted through A.
      const minted = await apiA.request('/admin/keys', { method: 'POST', key: stack!.adminKey, body: { name: 'replicas analyst' } });
      expect(minted.status).toBe(201);
      const key: string = minted.body.key;
      const created = await apiB.request('/subscriptions', { method: 'POST', key, body: { name: 'opiates', topics: [TOPIC], per: 'article' } });
      expect(created.status).toBe(201);
      const subscribedAt = Date.now();
      const expected = new Set<string>();
      const publish = async (count: number) => {
        const before = stream.alertIds.length;
        await publishEvents(bus!, BUS_TOPICS.raw, stream.take(count));
        for (const id of stream.alertIds.slice(before)) expected.add(id);
      };
      await publish(ARTICLES);
      const ledgerIds = async () => (await apiA.ledger(key)).map((entry) => entry.articleId);
      await eventually(async () => (await ledgerIds()).length >= expected.size, 'an alert for every article on the topic', 60_000);
      const reachedIn = Date.now() - subscribedAt;
      expect(new Set(await ledgerIds())).toEqual(expected);
      const perReplica = await alerted();
      console.log(`subscription made through api B alerted on both alerters within ${reachedIn} ms; alerts per alerter replica: ${perReplica.join(', ')}`);
      expect(perReplica.every((count) => count > 0)).toBe(true);

      // SSE: some alerts from replica A, then the rest from replica B after its Last-Event-ID.
      const sseAlerts = (client: SseClient) => client.events.filter((event) => event.event === 'alert');
      const fromA = await SseClient.connect(`${apiA.baseUrl}/alerts/stream`, { 'X-API-Key': key, 'Last-Event-ID': '0' });
      clients.push(fromA);
      expect(fromA.status).toBe(200);
      await eventually(async () => sseAlerts(fromA).length >= 10, 'ten alerts from api replica A', 30_000);
      fromA.close();
      // The client went away after its tenth alert (more may have been on the wire): it resumes from there.
      const readFromA = sseAlerts(fromA).slice(0, 10);
      const lastEventId = readFromA.at(-1)!.id!;
      const fromB = await SseClient.connect(`${apiB.baseUrl}/alerts/stream`, { 'X-API-Key': key, 'Last-Event-ID': lastEventId });
      clients.push(fromB);
      expect(fromB.status).toBe(200);
      // More alerts while B streams: the resumed stream goes on live.
      await publish(30);
      await eventually(async () => (await ledgerIds()).length >= expected.size, 'the alerts of the last articles', 60_000);
      const ledger = await apiA.ledger(key);
      const rest = ledger.filter((entry) => entry.seq > Number(lastEventId));
      await eventually(async () => sseAlerts(fromB).length >= rest.length, 'the rest of the alerts from api replica B', 30_000);
      // Long enough for a repeat, or an alert beyond the ledger, to show.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const readFromB = sseAlerts(fromB);
      const repeats = readFromA.length + readFromB.length - new Set([...readFromA, ...readFromB].map((event) => event.id)).size;
      console.log(`SSE: ${readFromA.length} alerts from api A, ${readFromB.length} from api B after Last-Event-ID ${lastEventId}, ${repeats} repeats`);
      expect(readFromA.map((event) => Number(event.id))).toEqual(ledger.slice(0, readFromA.length).map((entry) => entry.seq));
      expect(readFromB.map((event) => Number(event.id))).toEqual(rest.map((entry) => entry.seq));
      expect(readFromB.map((event) => JSON.parse(event.data).articleId)).toEqual(rest.map((entry) => entry.articleId));
      expect(repeats).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  });
});
