import { StorySummary } from '@monitor/contracts';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { DeliveryError } from './alert-errors';
import { PushMessage } from './push-channel';
import { Subscription, parseSubscriptionInput, subscriptionView } from './subscription';
import { SIGNATURE_HEADER, WebhookChannel } from './webhook-channel';
import { signWebhookBody } from './webhook-signing';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { startWebhookReceiver } from './testing/webhook-receiver';

/** `secret` null: none given, so one is generated. */
function subscriptionTo(url: string, secret: string | null = 'a-shared-secret-of-length'): Subscription {
  return {
    id: 's1', ownerKeyId: 'k1', createdAt: '', updatedAt: '',
    ...parseSubscriptionInput({ name: 'Opiates desk', channels: { webhook: { url, ...(secret ? { secret } : {}) } } }),
  };
}

/** What a receiver does: the Standard Webhooks library over the raw bytes and the headers it got. */
function verify(signingSecret: string, raw: string, headers: Record<string, unknown>): unknown {
  return new Webhook(signingSecret).verify(raw, headers as Record<string, string>);
}

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as Error).message;
  }
  throw new Error('expected the library to reject the delivery');
}
const message: PushMessage = {
  kind: 'alert', id: 'al1',
  alert: { schema: 'alerts.v1', id: 'al1', kind: 'article', subscriptionId: 's1', ownerKeyId: 'k1', title: 'Heroin <seized> "at" border', topics: [], createdAt: '2025-03-01T00:00:00.000Z' },
};

async function failureOf(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryError);
    return e as DeliveryError;
  }
  throw new Error('expected a DeliveryError');
}

describe('WebhookChannel', () => {
  it('POSTs the documented JSON body signed with HMAC-SHA256 of the raw body', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      await new WebhookChannel({ policy: new WebhookUrlPolicy(['127.0.0.1']) }).send(message, subscriptionTo(receiver.url));
      const [got] = receiver.received;
      const expected = 'sha256=' + createHmac('sha256', 'a-shared-secret-of-length').update(got.raw).digest('hex');
      expect(got.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(expected);
      expect(signWebhookBody(got.raw, 'a-shared-secret-of-length')).toBe(expected);
      expect(got.headers['x-monitor-delivery']).toBe('al1');
      expect(got.headers['x-monitor-event']).toBe('alert');
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      expect(got.body).toEqual({ type: 'alert', id: 'al1', subscriptionId: 's1', subscriptionName: 'Opiates desk', alert: message.alert });
    } finally {
      await receiver.close();
    }
  });

  it('sends a story.updated alert as type and event story.updated, the story with it', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const story: StorySummary = { id: 'st1', title: 'SCO drug-control chiefs meet in Bishkek', articleCount: 3, languages: ['en', 'ru', 'zh'], sources: ['wire-en', 'wire-ru', 'wire-zh'], topics: ['anti-drug-cooperation'], firstSeen: '2025-03-01T08:00:00Z', lastSeen: '2025-03-01T13:00:00Z' };
      const update: PushMessage = { kind: 'alert', id: 'al9', alert: { ...(message as Extract<PushMessage, { kind: 'alert' }>).alert, id: 'al9', kind: 'story.updated', storyId: 'st1', story } };
      await new WebhookChannel({ policy: new WebhookUrlPolicy(['127.0.0.1']) }).send(update, subscriptionTo(receiver.url));
      const [got] = receiver.received;
      expect(got.headers['x-monitor-event']).toBe('story.updated');
      expect(got.body).toMatchObject({ type: 'story.updated', id: 'al9', alert: { kind: 'story.updated', storyId: 'st1', story: { languages: ['en', 'ru', 'zh'] } } });
    } finally {
      await receiver.close();
    }
  });

  it('signs every attempt as Standard Webhooks: the library verifies it, the id stays, a tampered body or a late replay fails', async () => {
    const channel = new WebhookChannel({ policy: new WebhookUrlPolicy(['127.0.0.1']) });
    // A passphrase secret (the only kind before Standard Webhooks), a whsec_ one the subscriber brought, a generated one.
    const brought = 'whsec_' + randomBytes(32).toString('base64');
    for (const secret of ['a-shared-secret-of-length', brought, null]) {
      const receiver = await startWebhookReceiver([503, 200]);
      try {
        const subscription = subscriptionTo(receiver.url, secret);
        const { signingSecret } = subscriptionView(subscription).channels.webhook!;
        expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
        if (secret === brought) expect(signingSecret).toBe(brought);
        if (secret === null) expect(subscription.channels.webhook!.secret).toBe(signingSecret);

        await expect(channel.send(message, subscription)).rejects.toMatchObject({ retriable: true });
        await channel.send(message, subscription);
        expect(receiver.received).toHaveLength(2);
        for (const got of receiver.received) {
          expect(verify(signingSecret, got.raw, got.headers)).toEqual(got.body);
          expect(got.headers['webhook-id']).toBe('al1');
          expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
          expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
          // The old header still comes, keyed with the same secret, for receivers not yet moved over.
          expect(got.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(signWebhookBody(got.raw, subscription.channels.webhook!.secret));
        }

        const [got] = receiver.received;
        expect(rejection(() => verify(signingSecret, got.raw.replace('Heroin', 'Cocaine'), got.headers))).toMatch(/No matching signature/);
        expect(rejection(() => verify(signingSecret, got.raw, { ...got.headers, 'webhook-id': 'al2' }))).toMatch(/No matching signature/);
        // A replay with a fresh timestamp pasted on no longer matches the signature...
        const fresh = String(Math.floor(Date.now() / 1000) + 1);
        expect(rejection(() => verify(signingSecret, got.raw, { ...got.headers, 'webhook-timestamp': fresh }))).toMatch(/No matching signature/);
        expect(rejection(() => verify('whsec_' + randomBytes(32).toString('base64'), got.raw, got.headers))).toMatch(/No matching signature/);
      } finally {
        await receiver.close();
      }
    }
    await channel.close();

    // ...and one replayed as captured is refused once older than the library's tolerance (5 minutes).
    const receiver = await startWebhookReceiver([200]);
    const late = new WebhookChannel({ policy: new WebhookUrlPolicy(['127.0.0.1']), now: () => new Date(Date.now() - 6 * 60_000) });
    try {
      const subscription = subscriptionTo(receiver.url);
      await late.send(message, subscription);
      const [got] = receiver.received;
      const { signingSecret } = subscriptionView(subscription).channels.webhook!;
      expect(rejection(() => verify(signingSecret, got.raw, got.headers))).toMatch(/timestamp too old/);
    } finally {
      await late.close();
      await receiver.close();
    }
  });

  it('says which failures may succeed later', async () => {
    const receiver = await startWebhookReceiver([503, 404, 429], { 'Retry-After': '2' });
    const channel = new WebhookChannel({ policy: new WebhookUrlPolicy(true) });
    try {
      const e503 = await failureOf(channel.send(message, subscriptionTo(receiver.url)));
      expect(e503).toMatchObject({ retriable: true, message: expect.stringContaining('HTTP 503') });
      expect(await failureOf(channel.send(message, subscriptionTo(receiver.url)))).toMatchObject({ retriable: false });
      expect(await failureOf(channel.send(message, subscriptionTo(receiver.url)))).toMatchObject({ retriable: true, retryAfterMs: 2000 });
    } finally {
      await receiver.close();
    }
    const down = await failureOf(channel.send(message, subscriptionTo(receiver.url)));
    expect(down).toMatchObject({ retriable: true, message: expect.stringMatching(/ECONN(REFUSED|RESET)/) });
  });

  it('refuses loopback and private targets unless the operator allowed them', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const strict = new WebhookChannel();
      const viaName = receiver.url.replace('127.0.0.1', 'localhost');
      for (const url of [receiver.url, viaName, 'http://10.1.2.3/x', 'http://[::1]/x', 'http://169.254.169.254/latest']) {
        const e = await failureOf(strict.send(message, subscriptionTo(url)));
        expect(e).toMatchObject({ retriable: false, message: expect.stringMatching(/private or loopback/) });
      }
      expect(receiver.received).toHaveLength(0);
      await new WebhookChannel({ policy: WebhookUrlPolicy.fromConfig(`127.0.0.1:${receiver.port}`) }).send(message, subscriptionTo(receiver.url));
      await new WebhookChannel({ policy: WebhookUrlPolicy.fromConfig('true') }).send(message, subscriptionTo(viaName));
      expect(receiver.received).toHaveLength(2);
      await expect(new WebhookUrlPolicy().checkResolved(viaName)).rejects.toThrow(/private or loopback/);
    } finally {
      await receiver.close();
    }
  });
});
