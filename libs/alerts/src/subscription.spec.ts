import Database from 'better-sqlite3';
import { ValidationError } from '@monitor/contracts';
import { parseSubscriptionInput } from './subscription';
import { SqliteSubscriptionStore } from './sqlite-subscription.store';
import { SubscriptionNotFoundError } from './alert-errors';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

describe('parseSubscriptionInput', () => {
  it('fills defaults: any topic, immediate delivery, SSE only', () => {
    expect(parseSubscriptionInput({})).toEqual({
      name: '', topics: [], topicsMode: 'any', sources: [], languages: [], minScore: 0,
      delivery: { mode: 'immediate' }, channels: { sse: true }, spikeAlerts: false,
    });
    expect(parseSubscriptionInput({ topics: 'any' }).topics).toEqual([]);
    expect(parseSubscriptionInput({ topics: ['precursors', 'precursors'] }).topics).toEqual(['precursors']);
  });

  it('names the offending field', () => {
    expect(fieldOf(() => parseSubscriptionInput({ topics: ['heroin'] }))).toBe('topics.0');
    expect(fieldOf(() => parseSubscriptionInput({ topicsMode: 'all' }))).toBe('topics');
    expect(fieldOf(() => parseSubscriptionInput({ query: '"unclosed' }))).toBe('query');
    expect(fieldOf(() => parseSubscriptionInput({ query: '(a OR b' }))).toBe('query');
    expect(fieldOf(() => parseSubscriptionInput({ minScore: -1 }))).toBe('minScore');
    expect(fieldOf(() => parseSubscriptionInput({ languages: ['english!'] }))).toBe('languages.0');
    expect(fieldOf(() => parseSubscriptionInput({ delivery: { mode: 'weekly' } }))).toBe('delivery.mode');
    expect(fieldOf(() => parseSubscriptionInput({ channels: { webhook: { url: 'ftp://x.example/' } } }))).toBe('channels.webhook.url');
    expect(fieldOf(() => parseSubscriptionInput({ channels: { webhook: { url: 'https://x.example/', secret: 'short' } } }))).toBe(
      'channels.webhook.secret',
    );
    expect(fieldOf(() => parseSubscriptionInput({ channels: { email: { to: 'not-an-address' } } }))).toBe('channels.email.to');
    expect(fieldOf(() => parseSubscriptionInput({ topic: ['precursors'] }))).toBe('topic');
    expect(fieldOf(() => parseSubscriptionInput({ spikeAlerts: 'yes' }))).toBe('spikeAlerts');
  });

  it('generates a webhook secret when none is given', () => {
    const spec = parseSubscriptionInput({ channels: { webhook: { url: 'https://hooks.example.org/in' } } });
    expect(spec.channels.webhook?.secret.length).toBeGreaterThanOrEqual(16);
  });
});

describe('SqliteSubscriptionStore', () => {
  let db: Database.Database;
  let store: SqliteSubscriptionStore;
  beforeEach(() => {
    db = new Database(':memory:');
    store = new SqliteSubscriptionStore(db);
  });
  afterEach(() => db.close());

  it('creates, reads, lists, updates and deletes, scoped to the owner key', () => {
    const a = store.create('kA', { name: 'opiates', topics: ['afghanistan-opiates'], query: 'heroin OR opium' });
    const b = store.create('kB', { topics: ['precursors'] });
    expect(store.get('kA', a.id)).toEqual(a);
    expect(store.listByOwner('kA').map((s) => s.id)).toEqual([a.id]);
    expect(() => store.get('kB', a.id)).toThrow(SubscriptionNotFoundError);
    expect(() => store.update('kB', a.id, { minScore: 2 })).toThrow(SubscriptionNotFoundError);
    expect(() => store.delete('kB', a.id)).toThrow(SubscriptionNotFoundError);

    const updated = store.update('kA', a.id, { minScore: 2, query: '' });
    expect(updated).toMatchObject({ minScore: 2, topics: ['afghanistan-opiates'], name: 'opiates' });
    expect(updated.query).toBeUndefined();
    expect(store.get('kA', a.id).query).toBeUndefined();

    store.delete('kA', a.id);
    expect(() => store.get('kA', a.id)).toThrow(SubscriptionNotFoundError);
    expect(store.all().map((s) => s.id)).toEqual([b.id]);
  });

  it('keeps the webhook secret when an update does not restate it', () => {
    const s = store.create('kA', { channels: { webhook: { url: 'https://hooks.example.org/in' } } });
    const secret = s.channels.webhook!.secret;
    expect(store.update('kA', s.id, { minScore: 1 }).channels.webhook?.secret).toBe(secret);
    expect(store.update('kA', s.id, { channels: { webhook: { url: 'https://hooks.example.org/in' } } }).channels.webhook?.secret).toBe(secret);
  });

  it('validates updates as a whole and leaves the stored one untouched on error', () => {
    const s = store.create('kA', { topics: ['precursors'] });
    expect(fieldOf(() => store.update('kA', s.id, { topicsMode: 'all', topics: [] }))).toBe('topics');
    expect(store.get('kA', s.id)).toEqual(s);
  });

  it('counts revisions and tells listeners about changes', () => {
    const seen: string[] = [];
    store.onChange((c) => seen.push(`${c.type}:${c.subscription.id}`));
    const r0 = store.revision();
    const s = store.create('kA', {});
    store.update('kA', s.id, { minScore: 1 });
    store.delete('kA', s.id);
    expect(store.revision()).toBe(r0 + 3);
    expect(seen).toEqual([`upsert:${s.id}`, `upsert:${s.id}`, `delete:${s.id}`]);
  });
});
