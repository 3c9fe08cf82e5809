import { startWebhookReceiver } from '@monitor/alerts/testing';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { publishEvents } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ElasticsearchCluster,
  elasticsearchPrimaryCounts,
  ensureElasticsearchCluster,
  ensureKafkaCluster,
  freeBasePort,
  KafkaCluster,
  kafkaLeaderCounts,
  stopElasticsearchCluster,
  stopKafkaCluster,
} from './support/cluster-servers';
import { GrowingFeeds, ResumingAlertStream, WebhookTally } from './support/cluster-traffic';
import { eventually } from './support/monitor-process';
import { indexedCounts, StackApi } from './support/stack-checks';
import { RunningStack, STACK_SERVICES, StackService, startStack } from './support/stack-services';
import { ArticleStream, SteadyPublisher, testBus } from './support/stack-traffic';

// The stack scaled out over a 3-node Kafka cluster and a 3-node Elasticsearch cluster of this
// test's own (free ports, purged afterwards), two replicas of every service, a steady stream of
// articles and 200 webhook subscriptions, through the faults a cluster operator meets: the busiest
// broker and the busiest Elasticsearch node killed, an alerter killed mid-batch, a rolling restart
// of every process, and Elasticsearch gone for 30 s. Afterwards nothing may be lost or doubled.
//
// Most of the stream is published straight to news.raw.v1 (as a collector would): the sources'
// poll interval cannot go below a minute, so loopback feeds alone would need far longer than the
// test may take to carry 2,000 articles. The feeds still carry a share of it, so that the
// collectors' replicas, their state in Elasticsearch and their publishing go through every fault.
const SUBSCRIPTIONS = 200;
const ANALYST_KEYS = 20;
const RECEIVERS = 4;
/** Article n carries the word `lot<n % LOTS>`; subscription s asks for `lot<s % LOTS>`: 2 subscriptions per lot. */
const LOTS = 100;
const FEED_SOURCES = 4;
const MIN_ARTICLES = 2_000;
const REPLICAS: Record<StackService, number> = { collector: 2, classifier: 2, indexer: 2, alerter: 2, api: 2 };
const RECOVERY_TIMEOUT_MS = 4 * 60_000;
const SECRET = 'cluster-faults-webhook-secret';
const lotWord = (n: number) => `lot${n % LOTS}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('the stack on 3-node Kafka and Elasticsearch clusters, under faults', () => {
  let kafka: KafkaCluster | undefined;
  let elastic: ElasticsearchCluster | undefined;
  let stack: RunningStack | undefined;
  let bus: KafkaBus | undefined;
  let api: StackApi;
  let scratch: string | undefined;
  let sse: ResumingAlertStream | undefined;
  const stream = new ArticleStream(lotWord);
  const feeds = new GrowingFeeds(stream, Array.from({ length: FEED_SOURCES }, (_, i) => `cluster-feed-${i + 1}`));
  const receivers: WebhookTally[] = [];
  /** Subscription ids by lot word, and each analyst key with its subscriptions. */
  const subscribersOf = new Map<string, string[]>();
  const analysts: { key: string; subscriptionIds: Set<string> }[] = [];
  const figures: string[] = [];

  /** A node that is up: the first node's URL stops answering when that node is the one killed. */
  const elasticsearchUrl = (skip?: number) => `http://127.0.0.1:${elastic!.nodes.find((node) => node.index !== skip)!.port}`;

  /** Every (subscription, article) pair the articles with these ids must raise, as `subscriptionId article`. */
  const expectedPairs = (ids: Iterable<string>): Set<string> => {
    const onTopic = new Set(stream.alertIds);
    const pairs = new Set<string>();
    for (const id of ids) {
      if (!onTopic.has(id)) continue;
      for (const subscriptionId of subscribersOf.get(stream.tags.get(id)!) ?? []) pairs.add(`${subscriptionId} ${id}`);
    }
    return pairs;
  };
  const delivered = () => new Set(receivers.flatMap((receiver) => [...receiver.pairs()]));

  /** What is still missing of these articles: '' once each is indexed and each of its alerts reached its receiver. */
  const missing = async (ids: string[], skipNode?: number): Promise<string> => {
    const counts = await indexedCounts(elasticsearchUrl(skipNode), stack!.alias);
    const notIndexed = ids.filter((id) => !counts.has(id)).length;
    const got = delivered();
    const notDelivered = [...expectedPairs(ids)].filter((pair) => !got.has(pair)).length;
    return notIndexed || notDelivered ? `${notIndexed} of ${ids.length} articles not indexed, ${notDelivered} alerts not delivered` : '';
  };

  /** Where each of these articles got to (on a failure): seen by a collector, on news.raw.v1, on news.classified.v1. */
  const whereAre = async (ids: string[]): Promise<string> => {
    const counts = await indexedCounts(elasticsearchUrl(), stack!.alias);
    const lost = ids.filter((id) => !counts.has(id)).slice(0, 20);
    if (lost.length === 0) return '';
    const on = { raw: new Set<string>(), classified: new Set<string>() };
    const readers = await Promise.all(
      (['raw', 'classified'] as const).map((kind) =>
        bus!.consume({ topic: BUS_TOPICS[kind], group: `cluster-faults-diagnosis-${kind}-${Date.now()}`, handleBatch: async (batch) => void batch.forEach((m) => on[kind].add(m.key)) }),
      ),
    );
    await sleep(20_000);
    await Promise.all(readers.map((reader) => reader.stop()));
    const response = await fetch(`${elasticsearchUrl()}/${stack!.alias}-source-seen/_mget`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: lost }),
    });
    const seen = new Set(((await response.json()) as { docs: { _id: string; found?: boolean }[] }).docs.filter((doc) => doc.found).map((doc) => doc._id));
    return lost
      .map((id) => `${id} (${feeds.origin(id) ?? 'straight to news.raw.v1'}): seen by a collector ${seen.has(id)}, on news.raw.v1 ${on.raw.has(id)}, on news.classified.v1 ${on.classified.has(id)}`)
      .join('\n');
  };

  /** Waits for `missing(ids)` to be '', or fails saying where the articles still missing got to, and the services' logs. */
  const untilNothingMissing = async (ids: string[], what: string) => {
    let last = '';
    await eventually(async () => (last = await missing(ids)) === '', what, RECOVERY_TIMEOUT_MS).catch(async (error: Error) => {
      throw new Error(`${error.message}; last: ${last}\n${await whereAre(ids).catch(String)}\n${stack!.output(2_000)}`);
    });
  };

  /**
   * Waits until everything published straight to the bus by `since` is indexed and alerted (the
   * feeds' share waits for its next poll, up to a minute, which says nothing of the fault), and
   * records how long that took from the fault's start and from its end.
   */
  const recovery = async (fault: string, startedAt: number, endedAt: number) => {
    const ids = stream.ids.filter((id) => !feeds.has(id));
    await untilNothingMissing(ids, `recovery after ${fault}`);
    const line = `${fault}: caught up ${seconds(Date.now() - endedAt)} after the fault ended, ${seconds(Date.now() - startedAt)} after it began (${ids.length} articles published directly so far)`;
    figures.push(line);
    console.log(line);
  };

  beforeAll(async () => {
    const kafkaBase = await freeBasePort(3);
    let elasticBase = await freeBasePort(3);
    while (Math.abs(elasticBase - kafkaBase) < 200) elasticBase = await freeBasePort(3);
    // One after the other: six JVMs starting at once on two cores time out.
    kafka = await ensureKafkaCluster({ nodes: 3, basePort: kafkaBase });
    elastic = await ensureElasticsearchCluster({ nodes: 3, basePort: elasticBase });

    await feeds.start();
    for (let i = 0; i < RECEIVERS; i++) receivers.push(new WebhookTally(await startWebhookReceiver([204])));
    scratch = mkdtempSync(join(tmpdir(), 'cluster-faults-'));
    const sourcesFile = join(scratch, 'sources.json');
    writeFileSync(sourcesFile, JSON.stringify({ sources: feeds.sourceIds.map((id) => feeds.source(id)) }));
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elastic.nodes.map((node) => `http://127.0.0.1:${node.port}`).join(','),
      replicas: REPLICAS,
      env: {
        KAFKA_REPLICATION_FACTOR: '3',
        ELASTICSEARCH_REPLICAS: '1',
        SOURCES_FILE: sourcesFile,
        ALLOW_PRIVATE_FEED_HOSTS: feeds.host,
        ALLOW_PRIVATE_WEBHOOK_HOSTS: '127.0.0.1',
        POLLING: 'true',
        // A replica killed without a word loses its partitions after this long, not 30 s.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        // Deliveries a dead replica left pending are looked for every second; retries stay short.
        ALERT_SCHEDULER_INTERVAL_MS: '1000',
        ALERT_RETRY_MAX_DELAY_MS: '2000',
      },
    });
    bus = testBus(kafka.brokers, stack.topicPrefix);
    api = new StackApi(stack.url('api'), stack.adminKey);

    // Analysts' keys minted with the admin key, each with its share of the subscriptions, spread
    // over the receivers: subscription s asks for the opiates articles of lot s % LOTS.
    for (let k = 0; k < ANALYST_KEYS; k++) {
      const minted = await api.request('/admin/keys', { method: 'POST', key: stack.adminKey, body: { name: `cluster analyst ${k}` } });
      if (minted.status !== 201) throw new Error(`POST /admin/keys answered ${minted.status}`);
      analysts.push({ key: minted.body.key, subscriptionIds: new Set() });
    }
    await Promise.all(
      analysts.map(async (analyst, k) => {
        for (let s = k; s < SUBSCRIPTIONS; s += ANALYST_KEYS) {
          const lot = lotWord(s);
          const body = { name: `lot ${s}`, per: 'article', topics: ['afghanistan-opiates'], query: lot, channels: { webhook: { url: receivers[s % RECEIVERS].url, secret: SECRET } } };
          const created = await api.request('/subscriptions', { method: 'POST', key: analyst.key, body });
          if (created.status !== 201) throw new Error(`POST /subscriptions answered ${created.status}: ${JSON.stringify(created.body)}`);
          analyst.subscriptionIds.add(created.body.id);
          subscribersOf.set(lot, [...(subscribersOf.get(lot) ?? []), created.body.id]);
        }
      }),
    );
    sse = await ResumingAlertStream.open(stack.url('api', 0), analysts[0].key);
  }, 12 * 60_000);

  afterAll(async () => {
    sse?.close();
    await bus?.close();
    await stack?.close();
    await feeds.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    // The clusters are this test's own: purged, with the stack's topics and indices on them.
    if (kafka) await stopKafkaCluster(kafka, { purge: true });
    if (elastic) await stopElasticsearchCluster(elastic, { purge: true });
  }, 5 * 60_000);

  it('loses and doubles no article, alert or webhook through broker, node, replica and whole-cluster faults', async () => {
    const testStartedAt = Date.now();
    const publisher = new SteadyPublisher(bus!, stream, 5, 1_000).start();
    const growing = setInterval(() => feeds.grow(2), 15_000);
    try {
      feeds.grow(2);
      await sleep(20_000);

      // The broker leading the most partitions, killed with SIGKILL, restarted 20 s later.
      const [busiestBroker] = await kafkaLeaderCounts(kafka!.brokers);
      const broker = kafka!.nodes.find((node) => node.index === busiestBroker.nodeId)!;
      let startedAt = Date.now();
      await broker.kill();
      await sleep(20_000);
      await broker.start();
      console.log(`kafka: killed broker ${broker.index} (led ${busiestBroker.leaders} partitions), back after ${seconds(Date.now() - startedAt)}`);
      await recovery(`kill -9 of Kafka broker ${broker.index}`, startedAt, Date.now());

      // The Elasticsearch node holding the most primaries, killed, restarted 20 s later.
      const [busiestNode] = await elasticsearchPrimaryCounts(elasticsearchUrl());
      const node = elastic!.nodes.find((candidate) => candidate.name === busiestNode.node)!;
      startedAt = Date.now();
      await node.kill();
      await sleep(20_000);
      await node.start();
      console.log(`elasticsearch: killed ${node.name} (held ${busiestNode.primaries} primaries), back after ${seconds(Date.now() - startedAt)}`);
      await recovery(`kill -9 of Elasticsearch node ${node.index}`, startedAt, Date.now());

      // An alerter replica killed mid-batch: a burst gives its matching stage a batch of
      // news.classified.v1 in hand and its delivery workers (a consumer of alerts.v1 in the same
      // process) alerts to send; it comes back 10 s later.
      await publishEvents(bus!, BUS_TOPICS.raw, stream.take(200));
      const lagOf = async (group: string, topic: string) => (await bus!.lag(group, topic)).reduce((sum, partition) => sum + partition.lag, 0);
      const lagsAtKill = await eventually(
        async () => {
          const [matching, delivering] = await Promise.all([lagOf(CONSUMER_GROUPS.alerter, BUS_TOPICS.classified), lagOf(CONSUMER_GROUPS.alertDelivery, BUS_TOPICS.alerts)]);
          return matching > 0 && delivering > 0 && { matching, delivering };
        },
        'the alerters to be mid-stream, matching and delivering',
        120_000,
      );
      const deliveredBeforeKill = delivered().size;
      startedAt = Date.now();
      await stack!.stop('alerter', 'SIGKILL', 1);
      console.log(
        `alerter#2 killed with ${lagsAtKill.matching} classified articles still to match and ${lagsAtKill.delivering} alerts still to deliver, ` +
          `${deliveredBeforeKill} alerts delivered so far`,
      );
      await sleep(10_000);
      await stack!.start('alerter', 1);
      await recovery('kill -9 of alerter#2 mid-batch', startedAt, Date.now());

      // Every process, one at a time: SIGTERM, start, healthy. The SSE reader follows its api
      // replica's restart to the other replica with its Last-Event-ID, as EventSource would.
      startedAt = Date.now();
      for (const service of STACK_SERVICES) {
        for (let replica = 0; replica < REPLICAS[service]; replica++) {
          await stack!.stop(service, 'SIGTERM', replica);
          if (service === 'api') await sse!.moveTo(stack!.url('api', 1 - replica));
          await stack!.start(service, replica);
        }
      }
      console.log(`rolling restart of ${Object.values(REPLICAS).reduce((a, b) => a + b)} processes took ${seconds(Date.now() - startedAt)}`);
      await recovery('rolling restart of every service', startedAt, Date.now());

      // All of Elasticsearch away for 30 s while articles keep coming; they wait in Kafka.
      startedAt = Date.now();
      await stopElasticsearchCluster(elastic!);
      const publishedBefore = publisher.published;
      await sleep(30_000);
      expect(publisher.published).toBeGreaterThan(publishedBefore);
      elastic = await ensureElasticsearchCluster({ nodes: 3, basePort: elastic!.basePort });
      console.log(`elasticsearch: all nodes stopped, cluster green again after ${seconds(Date.now() - startedAt)}`);
      await recovery('Elasticsearch stopped for 30 s', startedAt, Date.now());

      // The stream goes on until it holds the 2,000 articles, then stops.
      await eventually(async () => stream.ids.length >= MIN_ARTICLES, `${MIN_ARTICLES} articles published`, 5 * 60_000);
    } finally {
      clearInterval(growing);
      await publisher.stop();
    }

    // The feeds' last items are polled now rather than at the next tick.
    for (const sourceId of feeds.sourceIds) expect((await api.poll(sourceId)).status).toBe(200);
    const ids = [...stream.ids];
    const pairs = expectedPairs(ids);
    await untilNothingMissing(ids, 'every article indexed and alerted');
    // A replay still under way would show its duplicates now rather than after the counting.
    await sleep(5_000);

    // Each article is one document, and nothing else is there; the api's search agrees.
    const counts = await indexedCounts(elasticsearchUrl(), stack!.alias);
    const doubled = [...counts].filter(([, count]) => count !== 1);
    const expected = new Set(ids);
    const unexpected = [...counts.keys()].filter((id) => !expected.has(id));
    expect({ doubled, unexpected, documents: counts.size }).toEqual({ doubled: [], unexpected: [], documents: expected.size });
    const search = await api.request('/search?size=1');
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(expected.size);

    // Each pair that should alert is one ledger entry of its analyst, and there is no other.
    let ledgerEntries = 0;
    for (const analyst of analysts) {
      const ledger = await api.ledger(analyst.key);
      ledgerEntries += ledger.length;
      const entries = ledger.map((entry) => `${entry.subscriptionId} ${entry.articleId}`);
      const mine = [...pairs].filter((pair) => analyst.subscriptionIds.has(pair.split(' ')[0])).sort();
      expect(entries.sort()).toEqual(mine);
    }

    // Every receiver got every alert of its subscriptions; a repeat only under the first copy's delivery id.
    const tallies = receivers.map((receiver) => receiver.check());
    expect(tallies.flatMap((tally) => tally.conflicting)).toEqual([]);
    expect(tallies.flatMap((tally) => tally.unexpected.filter((pair) => !pairs.has(pair)))).toEqual([]);
    expect([...pairs].filter((pair) => !delivered().has(pair))).toEqual([]);
    const repeats = tallies.reduce((sum, tally) => sum + tally.repeats, 0);

    // The SSE reader, resumed on the other api replica at each restart, got the ledger exactly once.
    const ledgerSeqs = (await api.ledger(analysts[0].key)).map((entry) => entry.seq);
    await eventually(async () => sse!.seqs().length >= ledgerSeqs.length, 'the SSE reader to catch up with the ledger', 60_000).catch(() => undefined);
    expect(sse!.seqs()).toEqual(ledgerSeqs);
    expect(stack!.sqliteFiles()).toEqual([]);

    console.log(
      [
        'cluster faults: figures',
        `articles: ${ids.length} (${feeds.size} through ${FEED_SOURCES} loopback feeds, the rest straight to news.raw.v1), each indexed once`,
        `alerts: ${pairs.size} expected for ${SUBSCRIPTIONS} subscriptions of ${ANALYST_KEYS} analysts; ${ledgerEntries} ledger entries`,
        `webhooks: ${receivers.reduce((sum, receiver) => sum + receiver.requests, 0)} requests to ${RECEIVERS} receivers, ${repeats} repeat(s) (same delivery id)`,
        `SSE: ${sse!.seqs().length} events for analyst 0 over ${sse!.segments} connections (resumed with Last-Event-ID on the other api replica)`,
        ...figures,
        `whole test: ${seconds(Date.now() - testStartedAt)}`,
      ].join('\n'),
    );
  }, 20 * 60_000);
});
