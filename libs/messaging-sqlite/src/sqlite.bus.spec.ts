import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { describeBusContract } from '@monitor/messaging/testing';
import { SqliteBus } from './sqlite.bus';

let n = 0;
describeBusContract('SqliteBus', {
  create: async () => new SqliteBus({ db: new Database(':memory:'), retryBaseMs: 10, retryMaxMs: 50 }),
  uniqueTopic: (prefix) => `${prefix}-${++n}`,
  deliveryTimeoutMs: 3000,
});

describe('SqliteBus durability', () => {
  it('keeps published but uncommitted messages across a restart of the process', async () => {
    const file = `${tmpdir()}/bus-${process.pid}-${Date.now()}.db`;
    const first = new SqliteBus({ db: new Database(file) });
    await first.publish('t', [{ key: 'k', value: 'kept' }]);
    await first.close();
    const second = new SqliteBus({ db: new Database(file) });
    const seen: string[] = [];
    await second.consume({ topic: 't', group: 'g', handleBatch: async (b) => void seen.push(...b.map((m) => m.value)) });
    const deadline = Date.now() + 2000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await second.close();
    expect(seen).toEqual(['kept']);
  });
});

describe('SqliteBus with several connections to one file', () => {
  const until = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };

  it('wakes a consumer when another connection publishes, without waiting for its idle recheck', async () => {
    const file = `${tmpdir()}/bus-writers-${process.pid}-${Date.now()}.db`;
    const open = () => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      return db;
    };
    // An idle recheck longer than the test: only the other-writer watch can deliver in time.
    const consuming = new SqliteBus({ db: open(), idleRecheckMs: 60_000 });
    const publishing = new SqliteBus({ db: open() });
    const seen: string[] = [];
    try {
      await consuming.ensureTopics([{ topic: 't', partitions: 2, replicationFactor: 1 }]);
      await consuming.consume({ topic: 't', group: 'g', handleBatch: async (b) => void seen.push(...b.map((m) => m.value)) });
      await new Promise((r) => setTimeout(r, 100));
      // Both publishers read-then-write the offsets; neither may fail with "database is locked".
      await Promise.all([
        publishing.publish('t', [{ key: 'a', value: 'from the other connection' }]),
        consuming.publish('t', [{ key: 'b', value: 'from this one' }]),
      ]);
      await until(() => seen.length === 2, 5_000);
      expect(seen.sort()).toEqual(['from the other connection', 'from this one']);
    } finally {
      await consuming.close();
      await publishing.close();
    }
  });
});

describe('SqliteBus pruning', () => {
  const until = async (what: () => boolean | Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (!(await what()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };

  it('prunes committed messages past retention, but never those of a compacted topic', async () => {
    const bus = new SqliteBus({ db: new Database(':memory:'), retentionMs: 0, pruneEveryMs: 0 });
    try {
      await bus.ensureTopics([
        { topic: 'log', partitions: 1, replicationFactor: 1 },
        { topic: 'changelog', partitions: 1, replicationFactor: 1, compacted: true },
      ]);
      await bus.publish('log', [{ key: 'k', value: 'old' }, { key: 'k', value: 'older' }]);
      await bus.publish('changelog', [{ key: 'k', value: 'kept' }]);
      let handled = 0;
      for (const topic of ['log', 'changelog']) await bus.consume({ topic, group: 'g', handleBatch: async (b) => void (handled += b.length) });
      await until(async () => handled === 3 && (await bus.lag('g', 'changelog'))[0].lag === 0 && (await bus.lag('g', 'log'))[0].lag === 0);
      // The last message of a partition stays: it carries the partition's next offset.
      expect(bus.prune(Date.now() + 1_000)).toBe(1);
      const reread: string[] = [];
      await bus.consume({ topic: 'changelog', group: 'late-reader', handleBatch: async (b) => void reread.push(...b.map((m) => m.value)) });
      await until(() => reread.length > 0);
      expect(reread).toEqual(['kept']);
    } finally {
      await bus.close();
    }
  });

  it('prunes on its own, and a reader that read everything still gets what is published after', async () => {
    const db = new Database(':memory:');
    const bus = new SqliteBus({ db, retentionMs: 0, pruneEveryMs: 30 });
    const count = (): number => (db.prepare("SELECT COUNT(*) AS n FROM bus_messages WHERE topic = 'log'").get() as { n: number }).n;
    try {
      await bus.ensureTopics([{ topic: 'log', partitions: 1, replicationFactor: 1 }]);
      const read: string[] = [];
      await bus.consume({ topic: 'log', group: 'g', handleBatch: async (b) => void read.push(...b.map((m) => m.value)) });
      await bus.publish('log', [{ key: 'k', value: 'one' }, { key: 'k', value: 'two' }, { key: 'k', value: 'three' }]);
      await until(async () => read.length === 3 && (await bus.lag('g', 'log'))[0].lag === 0);
      await until(() => count() === 1);
      expect(count()).toBe(1);
      await bus.publish('log', [{ key: 'k', value: 'four' }]);
      await until(() => read.length === 4);
      expect(read).toEqual(['one', 'two', 'three', 'four']);
    } finally {
      await bus.close();
    }
  });
});
