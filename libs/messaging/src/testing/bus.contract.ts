import { IncomingMessage, MessageBus, PartitionAssignment } from '../bus.port';

export interface BusContractContext {
  /** A bus connected to the adapter under test; called once per case. */
  create(): Promise<MessageBus>;
  /** A topic name no other case uses. */
  uniqueTopic(prefix: string): string;
  /** How long a case may wait for delivery (Kafka rebalances take seconds). */
  deliveryTimeoutMs: number;
}

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The behaviour every adapter of the messaging port must show. The embedded adapter and the
 * Kafka adapter both run it, which is what keeps embedded mode a faithful stand-in.
 */
export function describeBusContract(name: string, context: BusContractContext): void {
  describe(`MessageBus contract: ${name}`, () => {
    const open: MessageBus[] = [];
    const create = async () => {
      const bus = await context.create();
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });

    it('delivers every published message with its key and headers', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('deliver');
      await bus.ensureTopics([{ topic, partitions: 3, replicationFactor: 1 }]);
      const seen: IncomingMessage[] = [];
      await bus.consume({ topic, group: 'g1', handleBatch: async (batch) => void seen.push(...batch) });
      await bus.publish(
        topic,
        Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { 'x-n': String(i) } })),
      );
      await eventually(() => seen.length >= 30, context.deliveryTimeoutMs, '30 messages');
      expect(seen.map((m) => m.value).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
      const m7 = seen.find((m) => m.key === 'k7');
      expect(m7?.headers['x-n']).toBe('7');
    });

    it('keeps one key on one partition, in publish order', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('order');
      await bus.ensureTopics([{ topic, partitions: 3, replicationFactor: 1 }]);
      const seen: IncomingMessage[] = [];
      await bus.consume({ topic, group: 'g1', handleBatch: async (batch) => void seen.push(...batch) });
      for (let i = 0; i < 10; i++) await bus.publish(topic, [{ key: 'same', value: String(i) }]);
      await eventually(() => seen.length >= 10, context.deliveryTimeoutMs, '10 messages');
      expect(new Set(seen.map((m) => m.partition)).size).toBe(1);
      expect(seen.map((m) => m.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    });

    it('delivers a batch again when its handler throws, and loses nothing', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('retry');
      await bus.ensureTopics([{ topic, partitions: 1, replicationFactor: 1 }]);
      let attempts = 0;
      const handled: string[] = [];
      const reported: Array<{ message: string; attempt: number; size: number }> = [];
      await bus.consume({
        topic,
        group: 'g1',
        handleBatch: async (batch) => {
          attempts++;
          if (attempts <= 2) throw new Error(`transient ${attempts}`);
          handled.push(...batch.map((m) => m.value));
        },
        onBatchFailed: (error, batch, attempt) => reported.push({ message: (error as Error).message, attempt, size: batch.length }),
      });
      await bus.publish(topic, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
      await eventually(() => handled.length >= 2, context.deliveryTimeoutMs, 'redelivery');
      expect(handled.sort()).toEqual(['1', '2']);
      expect(attempts).toBeGreaterThanOrEqual(3);
      // Every failure is told, with its error and a rising attempt count, before the retry.
      expect(reported.map((r) => r.message).slice(0, 2)).toEqual(['transient 1', 'transient 2']);
      expect(reported.map((r) => r.attempt).slice(0, 2)).toEqual([1, 2]);
      expect(reported.every((r) => r.size >= 1)).toBe(true);
    });

    it('resumes a group from its committed offset after the consumer restarts', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('resume');
      await bus.ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
      const first: string[] = [];
      const consumer = await bus.consume({ topic, group: 'g1', handleBatch: async (b) => void first.push(...b.map((m) => m.value)) });
      await bus.publish(topic, [{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }]);
      await eventually(() => first.length >= 2, context.deliveryTimeoutMs, 'first two');
      await consumer.stop();
      await bus.publish(topic, [{ key: 'c', value: 'three' }]);
      const second: string[] = [];
      await bus.consume({ topic, group: 'g1', handleBatch: async (b) => void second.push(...b.map((m) => m.value)) });
      await eventually(() => second.length >= 1, context.deliveryTimeoutMs, 'the third');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second).toEqual(['three']);
    });

    it('gives every group its own copy of the stream', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('groups');
      await bus.ensureTopics([{ topic, partitions: 2, replicationFactor: 1 }]);
      const a: string[] = [];
      const b: string[] = [];
      await bus.consume({ topic, group: 'ga', handleBatch: async (batch) => void a.push(...batch.map((m) => m.value)) });
      await bus.consume({ topic, group: 'gb', handleBatch: async (batch) => void b.push(...batch.map((m) => m.value)) });
      await bus.publish(topic, [{ key: 'x', value: '1' }, { key: 'y', value: '2' }, { key: 'z', value: '3' }]);
      await eventually(() => a.length >= 3 && b.length >= 3, context.deliveryTimeoutMs, 'both groups');
      expect(a.sort()).toEqual(['1', '2', '3']);
      expect(b.sort()).toEqual(['1', '2', '3']);
    });

    it("tells each member its partitions on every reassignment, and hands a leaving member's partitions to the others", async () => {
      const bus = await create();
      const topic = context.uniqueTopic('assign');
      await bus.ensureTopics([{ topic, partitions: 4, replicationFactor: 1 }]);
      let a: PartitionAssignment | undefined;
      let b: PartitionAssignment | undefined;
      await bus.consume({ topic, group: 'owners', handleBatch: async () => undefined, onAssignment: (assignment) => void (a = assignment) });
      await eventually(() => a?.partitions.length === 4, context.deliveryTimeoutMs, 'the first member to own every partition');
      expect(a).toEqual({ partitions: [0, 1, 2, 3], partitionCount: 4 });

      const second = await bus.consume({ topic, group: 'owners', handleBatch: async () => undefined, onAssignment: (assignment) => void (b = assignment) });
      const shared = () =>
        !!a && !!b && a.partitions.length > 0 && b.partitions.length > 0 && [...a.partitions, ...b.partitions].sort().join() === '0,1,2,3';
      await eventually(shared, context.deliveryTimeoutMs, 'the partitions to be split between both members');

      await second.stop();
      await eventually(() => a?.partitions.length === 4, context.deliveryTimeoutMs, 'the remaining member to own every partition again');
    });

    it('creates a compacted topic that delivers like any other', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('compacted');
      await bus.ensureTopics([{ topic, partitions: 2, replicationFactor: 1, compacted: true }]);
      await bus.publish(topic, [{ key: 'k', value: 'first' }, { key: 'k', value: 'latest' }]);
      const seen: string[] = [];
      await bus.consume({ topic, group: 'g1', handleBatch: async (batch) => void seen.push(...batch.map((m) => m.value)) });
      // Compaction may already have dropped the first value; the latest always arrives last.
      await eventually(() => seen.includes('latest'), context.deliveryTimeoutMs, 'the latest value');
      expect(seen[seen.length - 1]).toBe('latest');
    });

    it('reports lag until the group has committed', async () => {
      const bus = await create();
      const topic = context.uniqueTopic('lag');
      await bus.ensureTopics([{ topic, partitions: 1, replicationFactor: 1 }]);
      await bus.publish(topic, [{ key: 'a', value: '1' }, { key: 'a', value: '2' }]);
      const before = await bus.lag('lagging', topic);
      expect(before.reduce((sum, p) => sum + p.lag, 0)).toBe(2);
      let done = 0;
      await bus.consume({ topic, group: 'lagging', handleBatch: async (batch) => void (done += batch.length) });
      await eventually(() => done >= 2, context.deliveryTimeoutMs, 'consumption');
      let after = 2;
      const deadline = Date.now() + context.deliveryTimeoutMs;
      while (after > 0 && Date.now() < deadline) {
        after = (await bus.lag('lagging', topic)).reduce((sum, p) => sum + p.lag, 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(after).toBe(0);
    });
  });
}
