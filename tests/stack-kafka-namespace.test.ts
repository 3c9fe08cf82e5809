import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { IncomingMessage } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';

// Two things the stack relies on when it shares a broker: KAFKA_TOPIC_PREFIX keeps two stacks'
// topics and consumer groups apart, and a publish bigger than the broker's message limit (1 MiB
// per record batch) is sent in pieces, in order, instead of being refused.
describe('KafkaBus topic prefix and large publishes', () => {
  let brokers: string[];
  const run = randomBytes(4).toString('hex');
  const prefixes = [`ns-a-${run}.`, `ns-b-${run}.`];
  const buses: KafkaBus[] = [];
  const bus = (topicPrefix: string) => {
    const created = new KafkaBus({
      brokers,
      topicPrefix,
      clientId: 'namespace-test',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 },
      logLevel: logLevel.NOTHING,
    });
    buses.push(created);
    return created;
  };

  beforeAll(async () => {
    brokers = (await ensureKafka()).brokers;
  }, 10 * 60_000);

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    const admin = new Kafka({ brokers, clientId: 'namespace-test-cleanup', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => prefixes.some((prefix) => topic.startsWith(prefix)));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((group) => prefixes.some((prefix) => group.includes(`.${prefix}`)));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it('keeps two prefixed stacks on one broker apart, under the same topic and group names', async () => {
    const [a, b] = prefixes.map(bus);
    for (const one of [a, b]) await one.ensureTopics([{ topic: 'news.raw.v1', partitions: 2, replicationFactor: 1 }]);
    const listed = await new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await listed.connect();
    const topics = await listed.listTopics();
    await listed.disconnect();
    expect(topics).toEqual(expect.arrayContaining([`${prefixes[0]}news.raw.v1`, `${prefixes[1]}news.raw.v1`]));

    const received: IncomingMessage[][] = [[], []];
    const handles = await Promise.all(
      [a, b].map((one, i) => one.consume({ topic: 'news.raw.v1', group: 'classifier', handleBatch: async (batch) => void received[i].push(...batch) })),
    );
    await a.publish('news.raw.v1', [{ key: 'k1', value: 'for a' }]);
    await b.publish('news.raw.v1', [{ key: 'k1', value: 'for b' }]);
    await eventually(async () => received[0].length >= 1 && received[1].length >= 1, 'each stack to receive its message', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.map((messages) => messages.map((m) => m.value))).toEqual([['for a'], ['for b']]);
    // Handlers see the contract's topic name, not the broker's.
    expect(received[0][0].topic).toBe('news.raw.v1');
    expect((await a.lag('classifier', 'news.raw.v1')).reduce((sum, p) => sum + p.lag, 0)).toBe(0);
    await Promise.all(handles.map((handle) => handle.stop()));
  });

  it('publishes 3 MB under one key (one partition) in pieces, every message once and in order', async () => {
    const one = bus(prefixes[0]);
    await one.ensureTopics([{ topic: 'news.classified.v1', partitions: 3, replicationFactor: 1 }]);
    const body = 'x'.repeat(6_000);
    const messages = Array.from({ length: 500 }, (_, i) => ({ key: 'one-article', value: `${i}:${body}` }));
    await one.publish('news.classified.v1', messages);
    const received: string[] = [];
    const handle = await one.consume({
      topic: 'news.classified.v1',
      group: 'indexer',
      handleBatch: async (batch) => void received.push(...batch.map((m) => m.value.slice(0, m.value.indexOf(':')))),
    });
    await eventually(async () => received.length >= messages.length, 'all 500 messages', 30_000);
    expect(received).toEqual(messages.map((_, i) => String(i)));
    await handle.stop();
  });
});
