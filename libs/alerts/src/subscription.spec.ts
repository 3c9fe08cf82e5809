import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ValidationError } from '@monitor/contracts';
import { Subscription, alertsPer, parseSubscriptionInput, subscriptionView } from './subscription';
import { patchedSubscription } from './subscription-write';
import { SubscriptionChangeConflictError } from './alert-errors';
import { signWebhookBody } from './webhook-signing';

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
      delivery: { mode: 'immediate' }, channels: { sse: true }, spikeAlerts: false, per: 'story', storyUpdates: false,
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
    expect(fieldOf(() => parseSubscriptionInput({ per: 'stories' }))).toBe('per');
    expect(fieldOf(() => parseSubscriptionInput({ storyUpdates: 'yes' }))).toBe('storyUpdates');
    expect(fieldOf(() => parseSubscriptionInput({ per: 'article', storyUpdates: true }))).toBe('storyUpdates');
  });

  it('alerts per story by default, per article when asked, and takes story updates only per story', () => {
    expect(parseSubscriptionInput({ per: 'article' })).toMatchObject({ per: 'article', storyUpdates: false });
    expect(parseSubscriptionInput({ storyUpdates: true })).toMatchObject({ per: 'story', storyUpdates: true });
    expect(parseSubscriptionInput({ per: 'article', storyUpdates: false })).toMatchObject({ per: 'article', storyUpdates: false });
  });
});

describe('per story or per article, on subscriptions stored before and after the option', () => {
  const at = '2026-01-01T00:00:00.000Z';
  // What an older release stored: no per, no storyUpdates.
  const { per: _per, storyUpdates: _updates, ...old } = parseSubscriptionInput({ name: 'old', topics: ['precursors'] });
  const stored: Subscription = { id: 's1', ownerKeyId: 'k1', createdAt: at, updatedAt: at, ...old };

  it('reads one stored without it as per article, in behaviour and in its view', () => {
    expect(alertsPer(stored)).toBe('article');
    expect(subscriptionView(stored)).toMatchObject({ per: 'article', storyUpdates: false });
    expect(stored.per).toBeUndefined();
  });

  it('keeps it per article through a change that does not name per; naming it switches', () => {
    expect(patchedSubscription(stored, { name: 'renamed' }, at)).toMatchObject({ name: 'renamed', per: 'article', storyUpdates: false });
    expect(patchedSubscription(stored, { per: 'story', storyUpdates: true }, at)).toMatchObject({ per: 'story', storyUpdates: true });
  });

  it('refuses updates on a per-article subscription (409 on what is stored, 400 within the change), and drops them on a switch to article', () => {
    expect(() => patchedSubscription(stored, { storyUpdates: true }, at)).toThrow(SubscriptionChangeConflictError);
    expect(() => patchedSubscription(stored, { per: 'article', storyUpdates: true }, at)).toThrow(ValidationError);
    const story: Subscription = { ...stored, per: 'story', storyUpdates: true };
    expect(patchedSubscription(story, { per: 'article' }, at)).toMatchObject({ per: 'article', storyUpdates: false });
    expect(patchedSubscription(story, { name: 'x' }, at)).toMatchObject({ per: 'story', storyUpdates: true });
  });

  it('generates a webhook secret when none is given, in Standard Webhooks form', () => {
    const spec = parseSubscriptionInput({ channels: { webhook: { url: 'https://hooks.example.org/in' } } });
    const secret = spec.channels.webhook!.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(parseSubscriptionInput({ channels: { webhook: { url: 'https://hooks.example.org/in' } } }).channels.webhook!.secret).not.toBe(secret);
  });
});

describe('webhook secrets and their whsec_ form', () => {
  const url = 'https://hooks.example.org/in';
  const subscription = (webhook: object): Subscription => ({
    id: 's1', ownerKeyId: 'k1', createdAt: '', updatedAt: '',
    ...parseSubscriptionInput({ channels: { webhook: { url, ...webhook } } }),
  });
  const messageOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      // The message starts with the field it names.
      expect((error as Error).message.startsWith(`${(error as ValidationError).field}: `)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('expected a ValidationError');
  };
  // A change valid on its own that does not fit the stored subscription is a conflict (409) naming the field.
  const conflictOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(SubscriptionChangeConflictError);
      return `${(error as SubscriptionChangeConflictError).field}: ${(error as Error).message}`;
    }
    throw new Error('expected a SubscriptionChangeConflictError');
  };

  it('shows a passphrase as the whsec_ key of its UTF-8 bytes, the key the legacy signature always used', () => {
    const passphrase = 'секрет-получателя-0123';
    const { signingSecret } = subscriptionView(subscription({ secret: passphrase })).channels.webhook!;
    expect(signingSecret).toBe('whsec_' + Buffer.from(passphrase, 'utf8').toString('base64'));
    // The library, given the whsec_ form, computes the same HMAC as the legacy header over "id.timestamp.body".
    const signed = new Webhook(signingSecret).sign('al1', new Date(1_700_000_000_000), '{"a":1}');
    const legacy = signWebhookBody('al1.1700000000.{"a":1}', passphrase).slice('sha256='.length);
    expect(signed).toBe('v1,' + Buffer.from(legacy, 'hex').toString('base64'));
  });

  it('takes a whsec_ secret as the key it encodes, and refuses a malformed or short one naming the field', () => {
    const brought = 'whsec_' + randomBytes(24).toString('base64');
    const shown = subscriptionView(subscription({ secret: brought })).channels.webhook!;
    expect(shown).toEqual({ url, secret: brought, signingSecret: brought });
    expect(messageOf(() => parseSubscriptionInput({ channels: { webhook: { url, secret: 'whsec_not base64 at all!' } } }))).toMatch(
      /^channels\.webhook\.secret: .*whsec_ followed by base64/,
    );
    expect(messageOf(() => parseSubscriptionInput({ channels: { webhook: { url, secret: 'whsec_' + randomBytes(8).toString('base64') } } }))).toMatch(
      /^channels\.webhook\.secret: .*16 to 64 bytes \(this one has 8\)/,
    );
    expect(messageOf(() => parseSubscriptionInput({ channels: { webhook: { url, secret: 'too-short' } } }))).toMatch(/^channels\.webhook\.secret: .*at least 16 characters/);
  });

  it('accepts channels sent back as read (signingSecret included), and refuses a signingSecret that is not the secret\'s', () => {
    const current = subscription({ secret: 'a-passphrase-of-some-length' });
    const { channels } = subscriptionView(current);
    expect(patchedSubscription(current, { name: 'renamed', channels }, 't').channels).toEqual(current.channels);
    const other = 'whsec_' + randomBytes(32).toString('base64');
    expect(conflictOf(() => patchedSubscription(current, { channels: { webhook: { url, signingSecret: other } } }, 't'))).toMatch(
      /^channels\.webhook\.signingSecret: channels\.webhook\.signingSecret: read-only/,
    );
    expect(conflictOf(() => patchedSubscription(current, { channels: { webhook: { url, secret: other, signingSecret: channels.webhook!.signingSecret } } }, 't'))).toMatch(
      /^channels\.webhook\.signingSecret/,
    );
  });

  it('keeps a secret stored before these rules through any update, and shows a whsec_ form for it', () => {
    // Before, any 16+ characters were a secret, this one included; today it would be refused as a malformed whsec_ key.
    const stored: Subscription = { ...subscription({ secret: 'a-passphrase-of-some-length' }) };
    stored.channels = { sse: true, webhook: { url, secret: 'whsec_my own secret, not base64' } };
    const updated = patchedSubscription(stored, { name: 'still works', minScore: 2 }, 't');
    expect(updated.channels.webhook).toEqual(stored.channels.webhook);
    expect(subscriptionView(updated).channels.webhook!.signingSecret).toBe('whsec_' + Buffer.from('whsec_my own secret, not base64').toString('base64'));
  });
});
