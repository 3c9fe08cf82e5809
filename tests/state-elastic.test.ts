import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { SubscriptionConflictError, alertIdFor } from '@monitor/alerts';
import type { Alert } from '@monitor/contracts';
import {
  describeAlertLedgerContract,
  describeApiKeyRegistryContract,
  describeDeliveryLogContract,
  describeDigestPeriodContract,
  describeSpikeBaselineContract,
  describeSubscriptionStoreContract,
} from '@monitor/alerts/testing';
import {
  ElasticAlertLedger,
  ElasticApiKeys,
  ElasticDeliveryLog,
  ElasticDigestPeriods,
  ElasticSpikeBaselines,
  ElasticSubscriptionStore,
  StateIndexKind,
  StateIndices,
  StateStoreError,
} from '@monitor/state-elastic';
import { ensureElasticsearch } from './infra-servers';

// The alerts-state contract suites, run against a real Elasticsearch at ELASTICSEARCH_URL
// (started through infra/ when it does not answer; if it cannot be had, every case fails). Every
// store gets indices of its own under this run's prefix; "another replica" is a second adapter on
// the same indices with a client of its own. Everything this run created is deleted at the end.
let url = '';
const clients: Client[] = [];
const created: StateIndices[] = [];
const run = `test-state-${randomUUID().slice(0, 8)}`;
let n = 0;

beforeAll(async () => {
  url = (await ensureElasticsearch()).url;
}, 10 * 60_000);

afterAll(async () => {
  await Promise.all(created.map((indices) => indices.drop()));
  await Promise.all(clients.map((client) => client.close()));
});

function client(): Client {
  const c = new Client({ node: url });
  clients.push(c);
  return c;
}

/** Fresh indices of the given kinds, and a way to open the same indices through another client (another replica). */
async function freshIndices(kinds: StateIndexKind[]): Promise<{ indices: StateIndices; replica(): StateIndices }> {
  const prefix = `${run}-${++n}`;
  // A short refresh interval: writes that wait for the refresh then return sooner.
  const indices = new StateIndices({ client: client(), prefix, refreshInterval: '50ms' });
  created.push(indices);
  await indices.ensure(kinds);
  return { indices, replica: () => new StateIndices({ client: client(), prefix }) };
}

describeSubscriptionStoreContract('ElasticSubscriptionStore', {
  async create() {
    const { indices, replica } = await freshIndices(['subscriptions', 'meta']);
    return {
      store: new ElasticSubscriptionStore(indices),
      another: () => new ElasticSubscriptionStore(replica()),
      // The document an older release wrote: the subscription without per and storyUpdates.
      storeBeforeStories: async (subscription) => {
        const { id, ownerKeyId, createdAt } = subscription;
        await indices.client.index({ index: indices.name('subscriptions'), id, document: { id, ownerKeyId, createdAt, subscription }, refresh: 'wait_for' });
      },
    };
  },
});
describeAlertLedgerContract('ElasticAlertLedger', {
  async create() {
    const { indices, replica } = await freshIndices(['alert-ledger']);
    return { ledger: new ElasticAlertLedger(indices), another: () => new ElasticAlertLedger(replica()) };
  },
});
describeDeliveryLogContract('ElasticDeliveryLog', {
  async create(now) {
    const { indices, replica } = await freshIndices(['deliveries']);
    return { log: new ElasticDeliveryLog(indices, now), another: () => new ElasticDeliveryLog(replica(), now) };
  },
});
describeApiKeyRegistryContract('ElasticApiKeys', {
  async create({ adminKey }) {
    const { indices } = await freshIndices(['api-keys']);
    return new ElasticApiKeys({ indices, adminKey });
  },
});
describeSpikeBaselineContract('ElasticSpikeBaselines', {
  async create() {
    const { indices } = await freshIndices(['topic-volume', 'meta']);
    return new ElasticSpikeBaselines(indices);
  },
});
describeDigestPeriodContract('ElasticDigestPeriods', {
  async create() {
    const { indices, replica } = await freshIndices(['digests']);
    return { store: new ElasticDigestPeriods(indices), another: () => new ElasticDigestPeriods(replica()) };
  },
});

describe('the Elasticsearch state adapters', () => {
  it('refuses an update whose read another replica overtook, and leaves that replica\'s change in place', async () => {
    const { indices, replica } = await freshIndices(['subscriptions', 'meta']);
    const other = new ElasticSubscriptionStore(replica());
    const real = indices.client;
    // Between this store's read and its write, the other replica updates the same subscription.
    let overtake: (() => Promise<unknown>) | null = null;
    const racing = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'index') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<Client['index']>) => {
          const first = overtake;
          overtake = null;
          await first?.();
          return target.index(...args);
        };
      },
    });
    const store = new ElasticSubscriptionStore(new StateIndices({ client: racing, prefix: indices.prefix }));
    const s = await store.create('kA', { name: 'start' });
    overtake = () => other.update('kA', s.id, { minScore: 4 });
    const refused = await store.update('kA', s.id, { name: 'stale rename' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SubscriptionConflictError);
    expect(refused).toMatchObject({ code: 'SUBSCRIPTION_CONFLICT', retriable: true });
    expect(await other.get('kA', s.id)).toMatchObject({ name: 'start', minScore: 4 });
    expect(await store.update('kA', s.id, { name: 'renamed after reading again' })).toMatchObject({ name: 'renamed after reading again', minScore: 4 });
  });

  it('stores only the hash of an API key, never the key', async () => {
    const { indices } = await freshIndices(['api-keys']);
    const key = await new ElasticApiKeys({ indices }).create({ role: 'analyst', label: 'desk A' });
    const stored = await indices.client.get({ index: indices.name('api-keys'), id: key.keyId });
    expect(JSON.stringify(stored._source)).not.toContain(key.key.slice(-43));
  });

  it('creates its indices idempotently, from several replicas at once, with mappings no document can extend', async () => {
    const { indices, replica } = await freshIndices([]);
    await Promise.all([indices.ensure(), replica().ensure(), replica().ensure()]);
    await indices.ensure();
    const ledger = indices.name('alert-ledger');
    const mapping = await indices.client.indices.getMapping({ index: ledger });
    expect(mapping[ledger].mappings.dynamic).toBe('false');
    const settings = await indices.client.indices.getSettings({ index: ledger });
    expect(settings[ledger].settings?.index?.number_of_shards).toBe('1');
  });

  it('drops every index of its prefix, also when only some kinds were created', async () => {
    const { indices } = await freshIndices(['deliveries', 'meta']);
    await indices.drop();
    const left = await indices.client.cat.indices({ index: `${indices.prefix}-*`, format: 'json' });
    expect(left).toEqual([]);
  });

  it('turns an unreachable Elasticsearch into a retriable StateStoreError', async () => {
    const unreachable = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0, requestTimeout: 2000 });
    clients.push(unreachable);
    const ledger = new ElasticAlertLedger(new StateIndices({ client: unreachable, prefix: `${run}-nowhere` }));
    const failure = await ledger.latestSeq('k1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StateStoreError);
    expect(failure).toMatchObject({ code: 'STATE_STORE_UNAVAILABLE', retriable: true });
  });

  it('shows a later seq before an earlier one for less than the ledger\'s visibility lag, under concurrent writers', async () => {
    // The SSE stream's rule (AlertStreamHub): it sends an entry once it has seen it for
    // visibilityLagMs. This measures, for seqs that showed out of order, how long the later one was
    // visible alone, with two alerter replicas writing at once and a reader searching all along.
    const prefix = `${run}-${++n}`;
    const indices = new StateIndices({ client: client(), prefix, refreshInterval: '200ms' });
    created.push(indices);
    await indices.ensure(['alert-ledger']);
    const writers = [new ElasticAlertLedger(indices), new ElasticAlertLedger(new StateIndices({ client: client(), prefix, refreshInterval: '200ms' }))];
    const reader = new ElasticAlertLedger(new StateIndices({ client: client(), prefix, refreshInterval: '200ms' }));
    const alert = (writer: number, i: number): Alert => {
      const subjectId = `w${writer}-${i}`;
      return { schema: 'alerts.v1', id: alertIdFor('s1', subjectId), kind: 'article', subscriptionId: 's1', ownerKeyId: 'k1', articleId: subjectId, title: subjectId, topics: [], createdAt: new Date().toISOString() };
    };
    const firstSeen = new Map<number, number>();
    let writing = true;
    const reading = (async () => {
      while (writing) {
        const now = Date.now();
        for (const entry of await reader.afterSeq('k1', 0, 10_000)) if (!firstSeen.has(entry.seq)) firstSeen.set(entry.seq, now);
      }
    })();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let batch = 0; batch < 15; batch += 1) await writer.recordMany(Array.from({ length: 8 }, (_, i) => ({ subscriptionId: 's1', subjectId: `w${w}-${batch * 8 + i}`, alert: alert(w, batch * 8 + i) })));
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    writing = false;
    await reading;
    const seqs = [...firstSeen.keys()].sort((a, b) => a - b);
    expect(seqs).toHaveLength(2 * 15 * 8);
    // For each seq, how long some later seq had been visible before it showed.
    let worst = 0;
    let outOfOrder = 0;
    let latestBefore = Infinity;
    for (const seq of [...seqs].reverse()) {
      const seen = firstSeen.get(seq)!;
      if (latestBefore < seen) {
        outOfOrder += 1;
        worst = Math.max(worst, seen - latestBefore);
      }
      latestBefore = Math.min(latestBefore, seen);
    }
    console.log(`ledger visibility: ${outOfOrder} of ${seqs.length} seqs showed after a later one, by ${worst} ms at most (the ledger's lag at a 200 ms refresh interval: ${reader.visibilityLagMs} ms)`);
    expect(worst).toBeLessThan(reader.visibilityLagMs);
  });
});
