import Database from 'better-sqlite3';
import { SOURCES_TOPIC } from '@monitor/contracts';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { describeSourceOverrideContract } from './testing';
import { BusSourceOverrides } from './bus-source-overrides';
import { parseSourceConfig } from './source-config';

const source = parseSourceConfig({ id: 'unodc-en', name: 'UNODC', organisation: 'UNODC', language: 'en', candidates: [{ url: 'https://example.org/feed.xml', kind: 'feed' }] });

const buses: SqliteBus[] = [];
const busOf = new WeakMap<object, SqliteBus>();
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
});

async function openOn(bus: SqliteBus): Promise<BusSourceOverrides> {
  const store = await BusSourceOverrides.open({ bus, catchUpTimeoutMs: 5_000 });
  busOf.set(store, bus);
  return store;
}

describeSourceOverrideContract('BusSourceOverrides on the embedded bus', {
  create: async () => {
    const bus = new SqliteBus({ db: new Database(':memory:') });
    buses.push(bus);
    await bus.ensureTopics([{ topic: SOURCES_TOPIC, partitions: 3, replicationFactor: 1, compacted: true }]);
    return openOn(bus);
  },
  reopen: async (store) => openOn(busOf.get(store)!),
  source,
  propagationMs: 3_000,
});

describe('BusSourceOverrides', () => {
  it('skips a message that is not a valid change, and says so, instead of stopping the changelog', async () => {
    const bus = new SqliteBus({ db: new Database(':memory:') });
    buses.push(bus);
    await bus.publish(SOURCES_TOPIC, [
      { key: 'broken', value: '{"schema":"sources.v1","sourceId":"broken"}' },
      { key: 'other', value: JSON.stringify({ schema: 'sources.v1', sourceId: 'unodc-en', config: null, enabled: false, removed: false, changedAt: new Date().toISOString() }) },
      { key: 'unodc-en', value: JSON.stringify({ schema: 'sources.v1', sourceId: 'unodc-en', config: source, enabled: null, removed: false, changedAt: new Date().toISOString() }) },
    ]);
    const problems: string[] = [];
    const store = await BusSourceOverrides.open({ bus, onInvalid: (message, problem) => problems.push(`${message.key}: ${problem}`) });
    expect(store.all()).toEqual([{ sourceId: 'unodc-en', config: source, enabled: null, removed: false }]);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/^other: keyed 'other' but about 'unodc-en'/);
  });

  it('undoes a change the bus did not accept, and fails the put', async () => {
    const bus = new SqliteBus({ db: new Database(':memory:') });
    const store = await BusSourceOverrides.open({ bus });
    await bus.close();
    await expect(store.put({ sourceId: 'unodc-en', config: null, enabled: false, removed: false })).rejects.toThrow(/closed/);
    expect(store.all()).toEqual([]);
  });

  it('fails to open, with a retriable error, when the changelog cannot be read to its end', async () => {
    const bus = new SqliteBus({ db: new Database(':memory:') });
    buses.push(bus);
    jest.spyOn(bus, 'lag').mockResolvedValue([{ group: 'g', topic: SOURCES_TOPIC, partition: 0, lag: 1 }]);
    await expect(BusSourceOverrides.open({ bus, catchUpTimeoutMs: 300 })).rejects.toMatchObject({ code: 'SOURCES_NOT_LOADED', retriable: true });
  });
});
