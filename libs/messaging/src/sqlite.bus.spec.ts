import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { describeBusContract } from './testing';
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
