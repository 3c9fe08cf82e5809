import { createHmac } from 'node:crypto';
import { DeliveryError } from './alert-errors';
import { PushMessage } from './push-channel';
import { Subscription, parseSubscriptionInput } from './subscription';
import { SIGNATURE_HEADER, WebhookChannel, signWebhookBody } from './webhook-channel';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { startWebhookReceiver } from './testing/webhook-receiver';

function subscriptionTo(url: string): Subscription {
  return {
    id: 's1', ownerKeyId: 'k1', createdAt: '', updatedAt: '',
    ...parseSubscriptionInput({ name: 'Opiates desk', channels: { webhook: { url, secret: 'a-shared-secret-of-length' } } }),
  };
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
