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
