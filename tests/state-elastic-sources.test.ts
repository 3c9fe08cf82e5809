import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { describeSourceStateContract } from '@monitor/feeds/testing';
import { ElasticSourceStateStore } from '@monitor/state-elastic';
import { ensureElasticsearch } from './infra-servers';

jest.setTimeout(120_000);

// The poller's state on a real Elasticsearch (started through infra/ when none answers; if it
// cannot be had, beforeAll throws and every case fails). Each case has indices of its own.
let url = '';
let admin: Client;
const stores: ElasticSourceStateStore[] = [];
beforeAll(async () => {
  url = (await ensureElasticsearch()).url;
  admin = new Client({ node: url });
}, 10 * 60_000);

afterAll(async () => {
  for (const store of stores) {
    await admin.indices.delete({ index: Object.values(store.indices) }, { ignore: [404] });
    await store.close();
  }
  await admin?.close();
});

const run = randomUUID().slice(0, 8);
let n = 0;
async function create(): Promise<ElasticSourceStateStore> {
  const store = new ElasticSourceStateStore({ node: url, indexPrefix: `test-sources-${run}-${++n}` });
  stores.push(store);
  await store.init();
  return store;
}

describeSourceStateContract('ElasticSourceStateStore', create);

describe('ElasticSourceStateStore on a real Elasticsearch', () => {
  it('marks each item seen once when two replicas race on it, keeping one time', async () => {
    const first = await create();
    const second = new ElasticSourceStateStore({ node: url, indexPrefix: first.indices.health.replace(/-source-health$/, '') });
    stores.push(second);
    await second.init();
    const entries = Array.from({ length: 20 }, (_, i) => ({ articleId: `a${i}`, sourceId: 's1', url: `https://example.org/${i}` }));
    await Promise.all([first.markSeen(entries, new Date('2026-12-01T00:00:00Z')), second.markSeen(entries, new Date('2026-12-01T00:00:00Z'))]);
    expect(await second.filterUnseen(['a0', 'a19', 'new'])).toEqual(['new']);
    expect(await first.countSeenSince('s1', new Date('2026-11-30T00:00:00Z'))).toBe(20);
  });

  it('keeps validators of a URL longer than an Elasticsearch id may be', async () => {
    const store = await create();
    const long = `https://example.org/feed?${'q=1&'.repeat(200)}`;
    await store.saveConditional(long, { etag: '"long"' });
    expect(await store.getConditional(long)).toEqual({ etag: '"long"', lastModified: null });
    expect(await store.getConditional(`${long}x`)).toEqual({});
  });

  it('creates its indices idempotently, also when several processes start at once', async () => {
    const prefix = `test-sources-${run}-race`;
    const racing = [0, 1, 2].map(() => new ElasticSourceStateStore({ node: url, indexPrefix: prefix }));
    stores.push(...racing);
    await Promise.all(racing.map((store) => store.init()));
    await racing[0].init();
    expect((await admin.indices.exists({ index: Object.values(racing[0].indices) }))).toBe(true);
  });

  it('fails with a retriable error when Elasticsearch cannot be reached', async () => {
    const nowhere = new ElasticSourceStateStore({ node: 'http://127.0.0.1:1', indexPrefix: 'unreachable' });
    await expect(nowhere.getHealth('s1')).rejects.toMatchObject({ code: 'STATE_STORE_UNAVAILABLE', retriable: true });
    await nowhere.close();
  });
});
