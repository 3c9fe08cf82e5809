import { KafkaBus } from '@monitor/messaging-kafka';
import { Kafka, logLevel } from 'kafkajs';
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
import { eventually } from './support/monitor-process';

jest.setTimeout(10 * 60_000);

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Three nodes are the smallest cluster that survives losing any one of them. These clusters are
// the test's own (free ports, purged afterwards): killing their nodes disturbs no one else.
describe('3-node Kafka cluster', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    cluster = await ensureKafkaCluster({ nodes: 3, basePort: await freeBasePort(3) });
  });

  afterAll(async () => {
    if (cluster) await stopKafkaCluster(cluster, { purge: true });
  });

  it('loses no acknowledged message when the broker leading most partitions is killed', async () => {
    const topic = `cluster-infra-${Date.now()}`;
    // Retries long enough to outlast the ~10 s in which the controller notices the dead broker and
    // elects new leaders; each send is then answered by the new leader instead of failing.
    const kafka = new Kafka({
      brokers: cluster.brokers,
      clientId: 'cluster-infra-test',
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 60 },
    });
    const admin = kafka.admin();
    await admin.connect();
    // kafkajs's own wait for leaders fails when a broker does not know the new topic yet, which
    // happens on a busy machine; wait the way the monitor's bus does instead.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
    });
    await admin.disconnect();
    const bus = new KafkaBus({ brokers: cluster.brokers, clientId: 'cluster-infra-topic-check', logLevel: logLevel.NOTHING });
    await bus.ensureTopics([{ topic, partitions: 3, replicationFactor: 3 }]).finally(() => bus.close());

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let acknowledgedAt: number[] = [];
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: String(i) }] });
        acknowledgedAt.push(Date.now());
      }
    };
    try {
      await publish(0, 200);
      expect(acknowledgedAt).toHaveLength(200);

      const [busiest] = await kafkaLeaderCounts(cluster.brokers, [topic]);
      const victim = cluster.nodes.find((node) => node.index === busiest.nodeId)!;
      const killedAt = Date.now();
      await victim.kill();
      expect(await victim.isUp()).toBe(false);
      acknowledgedAt = [];
      await withTimeout(publish(200, 400), 180_000, 'the 200 writes after the kill');
      expect(acknowledgedAt).toHaveLength(200);
      console.log(
        `kafka: killed node ${victim.index} (led ${busiest.leaders} of 3 partitions); first write after it acknowledged in ` +
          `${((acknowledgedAt[0] - killedAt) / 1000).toFixed(1)} s, all 200 in ${seconds(killedAt)}`,
      );

      const restartedAt = Date.now();
      await victim.start();
      console.log(`kafka: node ${victim.index} back in the cluster ${seconds(restartedAt)} after its restart`);
    } finally {
      await producer.disconnect();
    }

    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    const seen = new Map<string, number>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = String(message.value);
          seen.set(value, (seen.get(value) ?? 0) + 1);
        },
      });
      await eventually(async () => seen.size >= 400, 'all 400 messages read back', 120_000);
    } finally {
      await consumer.disconnect();
    }
    const duplicates = [...seen.values()].reduce((sum, count) => sum + count - 1, 0);
    console.log(`kafka: read back ${seen.size} distinct messages, ${duplicates} duplicate(s)`);
    expect([...seen.keys()].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });
});

describe('3-node Elasticsearch cluster', () => {
  let cluster: ElasticsearchCluster;

  beforeAll(async () => {
    cluster = await ensureElasticsearchCluster({ nodes: 3, basePort: await freeBasePort(3) });
  });

  afterAll(async () => {
    if (cluster) await stopElasticsearchCluster(cluster, { purge: true });
  });

  const request = async <T>(url: string, path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      ...init,
      headers: { 'content-type': init.body && String(init.body).includes('\n') ? 'application/x-ndjson' : 'application/json' },
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };

  it('keeps answering with every document when the node holding most primaries is killed', async () => {
    const index = `cluster-infra-${Date.now()}`;
    await request(cluster.url, `/${index}`, {
      method: 'PUT',
      body: JSON.stringify({ settings: { number_of_shards: 3, number_of_replicas: 1 } }),
    });
    const bulk = Array.from({ length: 500 }, (_, i) => `{"index":{"_id":"${i}"}}\n{"n":${i}}\n`).join('');
    const indexed = await request<{ errors: boolean; items: unknown[] }>(cluster.url, `/${index}/_bulk?refresh=true`, { method: 'POST', body: bulk });
    expect(indexed).toMatchObject({ errors: false });
    expect(indexed.items).toHaveLength(500);
    await request(cluster.url, `/_cluster/health/${index}?wait_for_status=green&timeout=60s`);

    const [busiest] = await elasticsearchPrimaryCounts(cluster.url, index);
    const victim = cluster.nodes.find((node) => node.name === busiest.node)!;
    // The killed node may be the one in ELASTICSEARCH_URL: ask a survivor from now on.
    const survivor = `http://127.0.0.1:${cluster.nodes.find((node) => node !== victim)!.port}`;
    const killedAt = Date.now();
    await victim.kill();

    const count = async () => (await request<{ count: number }>(survivor, `/${index}/_count`)).count;
    await eventually(async () => (await count()) === 500, 'a count of 500 from the two survivors', 120_000);
    const answeredAfter = seconds(killedAt);
    // Replicas of the lost primaries are promoted at once; the lost copies stay unassigned for the
    // delayed-allocation minute, in case the node comes back.
    const health = await eventually(
      async () => {
        const state = await request<{ status: string; number_of_nodes: number }>(survivor, '/_cluster/health');
        return state.number_of_nodes === 2 && state.status !== 'red' && state;
      },
      'the cluster to notice the lost node',
      120_000,
    );
    expect(health.status).toBe('yellow');
    console.log(
      `elasticsearch: killed ${victim.name} (held ${busiest.primaries} of 3 primaries); count of 500 answered after ${answeredAfter}, ` +
        `cluster ${health.status} with 2 nodes after ${seconds(killedAt)}`,
    );

    const restartedAt = Date.now();
    await victim.start();
    await request(survivor, '/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s');
    console.log(`elasticsearch: ${victim.name} restarted, cluster green again ${seconds(restartedAt)} after its restart`);
    expect(await count()).toBe(500);
  });
});
