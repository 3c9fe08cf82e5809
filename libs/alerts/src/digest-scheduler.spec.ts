import Database from 'better-sqlite3';
import { AlertDispatcher } from './alert-dispatcher';
import { SqliteAlertLedger } from './alert-ledger';
import { AlertService } from './alert-service';
import { SqliteDeliveryLog } from './delivery-log';
import { DigestScheduler } from './digest-scheduler';
import { SqliteSubscriptionStore } from './sqlite-subscription.store';
import { SubscriptionMatcher } from './subscription-matcher';
import { WebhookChannel, WebhookBody } from './webhook-channel';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { sampleArticle } from './testing/sample-articles';
import { startWebhookReceiver } from './testing/webhook-receiver';

describe('DigestScheduler', () => {
  it('sends one message per period with every alert since the previous digest, once', async () => {
    const receiver = await startWebhookReceiver([200]);
    const db = new Database(':memory:');
    try {
      let now = new Date('2025-03-15T10:20:00Z');
      const clock = () => now;
      const store = new SqliteSubscriptionStore(db);
      const ledger = new SqliteAlertLedger(db);
      const log = new SqliteDeliveryLog(db, clock);
      const channels = [new WebhookChannel({ policy: new WebhookUrlPolicy(true) })];
      const dispatcher = new AlertDispatcher({ log, ledger, subscriptions: store, channels, initialDelayMs: 5, maxDelayMs: 10 });
      const service = new AlertService({ matcher: SubscriptionMatcher.fromStore(store), ledger, deliverers: [dispatcher], now: clock });
      const scheduler = new DigestScheduler({ db, ledger, subscriptions: store, log, dispatcher, channels, now: clock });
      const sub = store.create('k1', { name: 'hourly desk', delivery: { mode: 'hourly' }, channels: { webhook: { url: receiver.url } } });

      await service.handleClassified([sampleArticle({ title: 'First' }), sampleArticle({ title: 'Second' })]);
      await dispatcher.idle();
      expect(receiver.received).toHaveLength(0);
      expect(await scheduler.runDue()).toEqual([]);

      now = new Date('2025-03-15T11:05:00Z');
      await service.handleClassified([sampleArticle({ title: 'Third, after the hour' })]);
      const [delivered] = await scheduler.runDue();
      expect(delivered).toMatchObject({ kind: 'digest', channel: 'webhook', status: 'delivered', subscriptionId: sub.id });
      expect(await scheduler.runDue()).toEqual([]);
      expect(receiver.received).toHaveLength(1);
      const body = receiver.received[0].body as Extract<WebhookBody, { type: 'digest' }>;
      expect(body.type).toBe('digest');
      expect(body.period).toEqual({ mode: 'hourly', from: '2025-03-15T10:00:00.000Z', to: '2025-03-15T11:00:00.000Z' });
      expect(body.alerts.map((a) => a.title)).toEqual(['First', 'Second']);
      expect(scheduler.messageFor(delivered.alertId)).toMatchObject({ kind: 'digest', alerts: [{ title: 'First' }, { title: 'Second' }] });

      now = new Date('2025-03-15T12:01:00Z');
      await scheduler.runDue();
      expect((receiver.received[1].body as { alerts: Array<{ title: string }> }).alerts.map((a) => a.title)).toEqual(['Third, after the hour']);
    } finally {
      db.close();
      await receiver.close();
    }
  });
});
