import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { BusSourceOverrides, parseSourceConfig } from '@monitor/feeds';
import { describeSourceOverrideContract } from '@monitor/feeds/testing';
import { KafkaBus } from '@monitor/messaging-kafka';
import { partitionForKey } from '@monitor/messaging';
import { describeBusContract } from '@monitor/messaging/testing';
import { ensureKafka, freePort, purgeKafka, stopKafka } from './infra-servers';

jest.setTimeout(120_000);

// A real broker: started through infra/ when nothing listens at KAFKA_BROKERS. If it cannot be
// had, beforeAll throws and every case fails (never skips).
let brokers: string[] = [];
beforeAll(async () => {
  brokers = (await ensureKafka()).brokers;
}, 10 * 60_000);

const run = randomUUID().slice(0, 8);
let n = 0;

describeBusContract('KafkaBus', {
  create: async () =>
    new KafkaBus({
      brokers,
      clientId: 'kafka-bus-test',
      // Quick group joins and leaves: the broker's minimum session is 6 s, and its
      // group.initial.rebalance.delay.ms is 0 (infra/kafka.sh).
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 },
      retryBaseMs: 50,
      retryMaxMs: 500,
      logLevel: logLevel.ERROR,
    }),
  uniqueTopic: (prefix) => `test.${prefix}.${run}.${++n}`,
  deliveryTimeoutMs: 30_000,
});

// The changes to sources travel on a compacted topic: the same contract as the SQLite store, with
// a second process (another bus, another group) seeing a change within a bounded time.
const sourceBuses: KafkaBus[] = [];
const sourceTopicOf = new WeakMap<object, string>();
afterAll(async () => {
  await Promise.all(sourceBuses.splice(0).map((b) => b.close()));
});
async function openSources(topic: string): Promise<BusSourceOverrides> {
  const kafka = new KafkaBus({ brokers, clientId: 'kafka-sources-test', consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 }, logLevel: logLevel.ERROR });
  sourceBuses.push(kafka);
  await kafka.ensureTopics([{ topic, partitions: 3, replicationFactor: 1, compacted: true }]);
  const store = await BusSourceOverrides.open({ bus: kafka, topic, catchUpTimeoutMs: 30_000 });
  sourceTopicOf.set(store, topic);
  return store;
}
describeSourceOverrideContract('BusSourceOverrides on Kafka', {
  create: () => openSources(`test.sources.${run}.${++n}`),
  reopen: (store) => openSources(sourceTopicOf.get(store)!),
  source: parseSourceConfig({ id: 'unodc-en', name: 'UNODC', organisation: 'UNODC', language: 'en', candidates: [{ url: 'https://example.org/feed.xml', kind: 'feed' }] }),
  propagationMs: 30_000,
});

describe('KafkaBus on a real broker', () => {
  const open: KafkaBus[] = [];
  const bus = () => {
    const created = new KafkaBus({
      brokers,
      clientId: 'kafka-bus-test',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 },
      retryBaseMs: 50,
      retryMaxMs: 500,
      logLevel: logLevel.ERROR,
    });
    open.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  async function until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('puts a key on the partition the embedded bus computes, so both modes agree', async () => {
    const kafka = bus();
    const topic = `test.placement.${run}`;
    await kafka.ensureTopics([{ topic, partitions: 6, replicationFactor: 1 }]);
    const keys = Array.from({ length: 40 }, (_, i) => `article-${i}-${run}`);
    await kafka.publish(topic, keys.map((key) => ({ key, value: key })));
    const seen = new Map<string, number>();
    await kafka.consume({ topic, group: 'placement', handleBatch: async (batch) => batch.forEach((m) => seen.set(m.key, m.partition)) });
    await until(() => seen.size === keys.length, 'all keys');
    for (const key of keys) expect(seen.get(key)).toBe(partitionForKey(key, 6));
  });

  it('does not let a partition move past a failing batch, and keeps its order', async () => {
    const kafka = bus();
    const topic = `test.hold.${run}`;
    await kafka.ensureTopics([{ topic, partitions: 1, replicationFactor: 1 }]);
    await kafka.publish(topic, [{ key: 'k', value: '0' }, { key: 'k', value: '1' }]);
    const handled: string[] = [];
    let failuresLeft = 3;
    await kafka.consume({
      topic,
      group: 'hold',
      maxBatchSize: 2,
      handleBatch: async (batch) => {
        if (failuresLeft-- > 0) {
          // More arrives while the first batch keeps failing; none of it may overtake.
          await kafka.publish(topic, [{ key: 'k', value: String(10 - failuresLeft) }]);
          throw new Error('transient');
        }
        handled.push(...batch.map((m) => m.value));
      },
    });
    await until(() => handled.length >= 5, 'five messages');
    expect(handled).toEqual(['0', '1', '8', '9', '10']);
  });

  it('creates topics idempotently, also when only some of them exist', async () => {
    const kafka = bus();
    const a = `test.idem-a.${run}`;
    const b = `test.idem-b.${run}`;
    await kafka.ensureTopics([{ topic: a, partitions: 2, replicationFactor: 1 }]);
    await kafka.ensureTopics([
      { topic: a, partitions: 2, replicationFactor: 1 },
      { topic: b, partitions: 4, replicationFactor: 1 },
    ]);
    await kafka.ensureTopics([{ topic: b, partitions: 4, replicationFactor: 1 }]);
    expect((await kafka.lag('nobody', a)).map((p) => p.partition)).toEqual([0, 1]);
    expect((await kafka.lag('nobody', b)).map((p) => p.partition)).toEqual([0, 1, 2, 3]);
  });

  it('creates a compacted topic with cleanup.policy=compact, and others with the default policy', async () => {
    const kafka = bus();
    const compacted = `test.compacted.${run}`;
    const plain = `test.plain.${run}`;
    await kafka.ensureTopics([
      { topic: compacted, partitions: 1, replicationFactor: 1, compacted: true },
      { topic: plain, partitions: 1, replicationFactor: 1 },
    ]);
    const admin = new Kafka({ brokers, clientId: 'kafka-bus-test-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [compacted, plain].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
      });
      const policy = (name: string) => resources.find((r) => r.resourceName === name)?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
      expect(policy(compacted)).toBe('compact');
      expect(policy(plain)).toBe('delete');
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a topic the cluster cannot hold with a non-retriable error', async () => {
    await expect(bus().ensureTopics([{ topic: `test.too-many-replicas.${run}`, partitions: 1, replicationFactor: 3 }])).rejects.toMatchObject({
      code: 'BUS_REQUEST_REJECTED',
      retriable: false,
    });
  });

  it('reports health up with the broker, and down without one instead of hanging', async () => {
    expect(await bus().health()).toMatchObject({ up: true });
    const port = await freePort();
    const nowhere = new KafkaBus({ brokers: [`127.0.0.1:${port}`], healthTimeoutMs: 1_000, logLevel: logLevel.NOTHING });
    open.push(nowhere);
    expect(await nowhere.health()).toMatchObject({ up: false });
  });

  it('joins a topic that the cluster starts serving only after consume was called', async () => {
    // On a cluster, a topic another service has just created is unknown for a moment to the broker
    // a consumer asks; the consumer must wait for it, not fail its service's start.
    const kafka = bus();
    const topic = `test.late-topic.${run}`;
    const seen: string[] = [];
    const joined = kafka.consume({ topic, group: 'late', handleBatch: async (batch) => batch.forEach((m) => seen.push(m.value)) });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await bus().ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
    await joined;
    await kafka.publish(topic, [{ key: 'a', value: 'first' }]);
    await until(() => seen.length === 1, 'the message published after the late topic appeared');
    expect(seen).toEqual(['first']);
  });

  it('gives up joining a topic that never appears with a retriable error, once its budget is spent', async () => {
    const kafka = new KafkaBus({ brokers, clientId: 'kafka-bus-test', consumeRetryMs: 1_000, retry: { retries: 1, initialRetryTime: 50 }, logLevel: logLevel.NOTHING });
    open.push(kafka);
    await expect(kafka.consume({ topic: `test.never.${run}`, group: 'never', handleBatch: async () => undefined })).rejects.toMatchObject({
      code: 'BUS_UNAVAILABLE',
      retriable: true,
    });
  });

  it('fails a publish with a retriable error when the broker cannot be reached', async () => {
    const nowhere = new KafkaBus({
      brokers: ['127.0.0.1:1'],
      retry: { retries: 1, initialRetryTime: 50 },
      publishRetryMs: 0,
      logLevel: logLevel.NOTHING,
    });
    open.push(nowhere);
    await expect(nowhere.publish('anything', [{ key: 'k', value: 'v' }])).rejects.toMatchObject({
      code: 'BUS_UNAVAILABLE',
      retriable: true,
    });
  });
});

describe('KafkaBus across a broker restart', () => {
  it('keeps delivering, and a publish made while the broker is down completes after it returns', async () => {
    // A broker of this test's own, so stopping it disturbs no other test.
    const ports = { port: await freePort(), controllerPort: await freePort() };
    const own = await ensureKafka(ports);
    const kafka = new KafkaBus({
      brokers: own.brokers,
      clientId: 'kafka-bus-restart-test',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 },
      retryBaseMs: 50,
      retryMaxMs: 500,
      // What is tested is that the publish outlasts the outage, however long the restart takes on
      // a loaded machine; the default budget (30 s) is about production, not this test.
      publishRetryMs: 180_000,
      logLevel: logLevel.NOTHING,
    });
    try {
      const topic = `test.restart.${run}`;
      await kafka.ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
      const seen = new Set<string>();
      await kafka.consume({ topic, group: 'restart', handleBatch: async (batch) => batch.forEach((m) => seen.add(m.value)) });
      await kafka.publish(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `before-${i}` })));
      const deadline = Date.now() + 30_000;
      while (seen.size < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(seen.size).toBe(20);

      await stopKafka(ports);
      const during = kafka.publish(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `during-${i}` })));
      // Down for 10 s: longer than kafkajs's own first retries, as in the stack's fault test.
      await new Promise((r) => setTimeout(r, 10_000));
      await ensureKafka(ports);
      await during;

      const after = Date.now() + 60_000;
      while (seen.size < 40 && Date.now() < after) await new Promise((r) => setTimeout(r, 50));
      expect(seen.size).toBe(40);
    } finally {
      await kafka.close();
      await purgeKafka(ports);
    }
  }, 300_000);
});
