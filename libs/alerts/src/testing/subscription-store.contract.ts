import { ValidationError } from '@monitor/contracts';
import { SubscriptionConflictError, SubscriptionNotFoundError } from '../alert-errors';
import { Subscription, alertsPer, subscriptionView } from '../subscription';
import { SubscriptionMatcher } from '../subscription-matcher';
import { SubscriptionStore } from '../subscription.port';
import { sampleArticle } from './sample-articles';

/** A subscription as stored before `per` and `storyUpdates` existed: what an older release wrote. */
export type SubscriptionBeforeStories = Omit<Subscription, 'per' | 'storyUpdates'>;

interface OpenedStore {
  store: SubscriptionStore;
  another(): SubscriptionStore;
  /** Writes a subscription as an older release did, behind the port's back. */
  storeBeforeStories(subscription: SubscriptionBeforeStories): Promise<void>;
}

export interface SubscriptionStoreContext {
  /** An empty store, and a way to open a second instance on the same data (another replica). */
  create(): Promise<OpenedStore> | OpenedStore;
}

async function fieldOf(attempt: Promise<unknown>): Promise<string | undefined> {
  try {
    await attempt;
  } catch (error) {
    return error instanceof ValidationError ? error.field : `not a ValidationError: ${String(error)}`;
  }
  return undefined;
}

/** The behaviour every adapter of the subscription store must show, written against the port only. */
export function describeSubscriptionStoreContract(name: string, context: SubscriptionStoreContext): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    it('creates, reads, lists, updates and deletes, scoped to the owner key', async () => {
      const { store } = await context.create();
      const a = await store.create('kA', { name: 'opiates', topics: ['afghanistan-opiates'], query: 'heroin OR opium' });
      const b = await store.create('kB', { topics: ['precursors'] });
      expect(await store.get('kA', a.id)).toEqual(a);
      expect(await store.findById(b.id)).toEqual(b);
      expect(await store.findById('s-unknown')).toBeNull();
      expect((await store.listByOwner('kA')).map((s) => s.id)).toEqual([a.id]);
      await expect(store.get('kB', a.id)).rejects.toThrow(SubscriptionNotFoundError);
      await expect(store.update('kB', a.id, { minScore: 2 })).rejects.toThrow(SubscriptionNotFoundError);
      await expect(store.delete('kB', a.id)).rejects.toThrow(SubscriptionNotFoundError);

      const updated = await store.update('kA', a.id, { minScore: 2, query: '' });
      expect(updated).toMatchObject({ minScore: 2, topics: ['afghanistan-opiates'], name: 'opiates' });
      expect(updated.query).toBeUndefined();
      expect(await store.get('kA', a.id)).toEqual(updated);

      await store.delete('kA', a.id);
      await expect(store.get('kA', a.id)).rejects.toThrow(SubscriptionNotFoundError);
      await expect(store.delete('kA', a.id)).rejects.toThrow(SubscriptionNotFoundError);
      expect((await store.all()).map((s) => s.id)).toEqual([b.id]);
    });

    it('keeps the webhook secret when an update does not restate it', async () => {
      const { store } = await context.create();
      const s = await store.create('kA', { channels: { webhook: { url: 'https://hooks.example.org/in' } } });
      const secret = s.channels.webhook!.secret;
      expect((await store.update('kA', s.id, { minScore: 1 })).channels.webhook?.secret).toBe(secret);
      expect((await store.update('kA', s.id, { channels: { webhook: { url: 'https://hooks.example.org/in' } } })).channels.webhook?.secret).toBe(secret);
    });

    it('validates creates and updates as a whole and leaves the stored one untouched on error', async () => {
      const { store } = await context.create();
      expect(await fieldOf(store.create('kA', { topics: ['heroin'] }))).toBe('topics.0');
      const s = await store.create('kA', { topics: ['precursors'] });
      expect(await fieldOf(store.update('kA', s.id, { topicsMode: 'all', topics: [] }))).toBe('topics');
      expect(await store.get('kA', s.id)).toEqual(s);
      // Valid on its own, but not with what is stored (no topics): a conflict, not a bad request.
      const anyTopic = await store.create('kA', {});
      await expect(store.update('kA', anyTopic.id, { topicsMode: 'all' })).rejects.toMatchObject({ code: 'SUBSCRIPTION_CHANGE_CONFLICT', field: 'topics' });
      expect(await store.get('kA', anyTopic.id)).toEqual(anyTopic);
      expect(await store.all()).toHaveLength(2);
    });

    it('counts revisions across instances and tells its own listeners about its changes', async () => {
      const { store, another } = await context.create();
      const other = another();
      const seen: string[] = [];
      store.onChange((c) => seen.push(`${c.type}:${c.subscription.id}`));
      const r0 = await store.revision();
      const s = await store.create('kA', {});
      await store.update('kA', s.id, { minScore: 1 });
      await store.delete('kA', s.id);
      expect(await store.revision()).toBe(r0 + 3);
      expect(seen).toEqual([`upsert:${s.id}`, `upsert:${s.id}`, `delete:${s.id}`]);
      const elsewhere = await other.create('kA', {});
      expect(await store.revision()).toBe(r0 + 4);
      expect(await store.findById(elsewhere.id)).toEqual(elsewhere);
      expect((await store.all()).map((x) => x.id)).toEqual([elsewhere.id]);
      expect(seen).toHaveLength(3);
    });

    it('a new subscription alerts per story unless it says otherwise; per "article" refuses story updates', async () => {
      const { store } = await context.create();
      const story = await store.create('kA', {});
      expect([story.per, story.storyUpdates]).toEqual(['story', false]);
      expect((await store.create('kA', { per: 'article' })).per).toBe('article');
      expect((await store.create('kA', { storyUpdates: true })).storyUpdates).toBe(true);
      expect(await fieldOf(store.create('kA', { per: 'article', storyUpdates: true }))).toBe('storyUpdates');
      expect(await fieldOf(store.create('kA', { per: 'event' }))).toBe('per');
      // Switching to per article drops the updates rather than refusing the switch.
      const switched = await store.update('kA', (await store.create('kA', { storyUpdates: true })).id, { per: 'article' });
      expect([switched.per, switched.storyUpdates]).toEqual(['article', false]);
    });

    it('a subscription stored before stories existed keeps alerting per article, also once changed', async () => {
      const opened = await context.create();
      const at = '2026-01-01T00:00:00.000Z';
      const old: SubscriptionBeforeStories = {
        id: 's00000000000000a1', ownerKeyId: 'kA', name: 'old', topics: [], topicsMode: 'any', sources: [], languages: [], minScore: 0,
        delivery: { mode: 'immediate' }, channels: { sse: true }, spikeAlerts: false, createdAt: at, updatedAt: at,
      };
      await opened.storeBeforeStories(old);
      const read = await opened.store.get('kA', old.id);
      expect(read.per).toBeUndefined();
      expect(alertsPer(read)).toBe('article');
      expect(subscriptionView(read)).toMatchObject({ per: 'article', storyUpdates: false });
      const matcher = new SubscriptionMatcher(await opened.store.all());
      expect(matcher.match(sampleArticle(), 'article').map((s) => s.id)).toEqual([old.id]);
      expect(matcher.match(sampleArticle(), 'story')).toEqual([]);
      const renamed = await opened.store.update('kA', old.id, { name: 'renamed' });
      expect([renamed.per, (await opened.store.get('kA', old.id)).per]).toEqual(['article', 'article']);
    });

    it('two replicas updating one subscription at once lose no update: each is applied or refused as a conflict', async () => {
      const { store, another } = await context.create();
      const other = another();
      const s = await store.create('kA', { name: 'start', minScore: 0 });
      const outcomes = await Promise.allSettled([store.update('kA', s.id, { name: 'renamed' }), other.update('kA', s.id, { minScore: 3 })]);
      const final = await store.get('kA', s.id);
      const [rename, rescore] = outcomes;
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ constructor: SubscriptionConflictError, retriable: true });
      expect(final.name).toBe(rename.status === 'fulfilled' ? 'renamed' : 'start');
      expect(final.minScore).toBe(rescore.status === 'fulfilled' ? 3 : 0);
    });
  });
}
