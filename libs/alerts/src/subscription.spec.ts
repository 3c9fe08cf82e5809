import { ValidationError } from '@monitor/contracts';
import { parseSubscriptionInput } from './subscription';

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
