import { ValidationError } from '@monitor/contracts';
import { SubscriptionNotFoundError } from '../alert-errors';
import { SubscriptionStore } from '../subscription.port';

export interface SubscriptionStoreContext {
  /** An empty store, and a way to open a second instance on the same data (another replica). */
  create(): { store: SubscriptionStore; another(): SubscriptionStore };
}

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ValidationError ? error.field : `not a ValidationError: ${String(error)}`;
  }
  return undefined;
}

/** The behaviour every adapter of the subscription store must show, written against the port only. */
export function describeSubscriptionStoreContract(name: string, context: SubscriptionStoreContext): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    it('creates, reads, lists, updates and deletes, scoped to the owner key', () => {
      const { store } = context.create();
      const a = store.create('kA', { name: 'opiates', topics: ['afghanistan-opiates'], query: 'heroin OR opium' });
      const b = store.create('kB', { topics: ['precursors'] });
      expect(store.get('kA', a.id)).toEqual(a);
      expect(store.findById(b.id)).toEqual(b);
      expect(store.findById('s-unknown')).toBeNull();
      expect(store.listByOwner('kA').map((s) => s.id)).toEqual([a.id]);
      expect(() => store.get('kB', a.id)).toThrow(SubscriptionNotFoundError);
      expect(() => store.update('kB', a.id, { minScore: 2 })).toThrow(SubscriptionNotFoundError);
      expect(() => store.delete('kB', a.id)).toThrow(SubscriptionNotFoundError);

      const updated = store.update('kA', a.id, { minScore: 2, query: '' });
      expect(updated).toMatchObject({ minScore: 2, topics: ['afghanistan-opiates'], name: 'opiates' });
      expect(updated.query).toBeUndefined();
      expect(store.get('kA', a.id)).toEqual(updated);

      store.delete('kA', a.id);
      expect(() => store.get('kA', a.id)).toThrow(SubscriptionNotFoundError);
      expect(store.all().map((s) => s.id)).toEqual([b.id]);
    });

    it('keeps the webhook secret when an update does not restate it', () => {
      const { store } = context.create();
      const s = store.create('kA', { channels: { webhook: { url: 'https://hooks.example.org/in' } } });
      const secret = s.channels.webhook!.secret;
      expect(store.update('kA', s.id, { minScore: 1 }).channels.webhook?.secret).toBe(secret);
      expect(store.update('kA', s.id, { channels: { webhook: { url: 'https://hooks.example.org/in' } } }).channels.webhook?.secret).toBe(secret);
    });

    it('validates creates and updates as a whole and leaves the stored one untouched on error', () => {
      const { store } = context.create();
      expect(fieldOf(() => store.create('kA', { topics: ['heroin'] }))).toBe('topics.0');
      const s = store.create('kA', { topics: ['precursors'] });
      expect(fieldOf(() => store.update('kA', s.id, { topicsMode: 'all', topics: [] }))).toBe('topics');
      expect(store.get('kA', s.id)).toEqual(s);
      expect(store.all()).toHaveLength(1);
    });

    it('counts revisions across instances and tells its own listeners about its changes', () => {
      const { store, another } = context.create();
      const other = another();
      const seen: string[] = [];
      store.onChange((c) => seen.push(`${c.type}:${c.subscription.id}`));
      const r0 = store.revision();
      const s = store.create('kA', {});
      store.update('kA', s.id, { minScore: 1 });
      store.delete('kA', s.id);
      expect(store.revision()).toBe(r0 + 3);
      expect(seen).toEqual([`upsert:${s.id}`, `upsert:${s.id}`, `delete:${s.id}`]);
      const elsewhere = other.create('kA', {});
      expect(store.revision()).toBe(r0 + 4);
      expect(store.findById(elsewhere.id)).toEqual(elsewhere);
      expect(seen).toHaveLength(3);
    });
  });
}
