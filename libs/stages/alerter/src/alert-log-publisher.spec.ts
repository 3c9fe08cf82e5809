import Database from 'better-sqlite3';
import { WebhookUrlPolicy, createAlerter } from '@monitor/alerts';
import { memoryAlerterPorts, sampleArticle, startWebhookReceiver } from '@monitor/alerts/testing';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ConsumerHandle, IncomingMessage, consumeEvents } from '@monitor/messaging';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { AlertLogPublisher } from './alert-log-publisher';

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('alerts.v1 as the log of alerts, between the alerter and the delivery workers', () => {
  it('publishes every alert keyed by subscription, again when its article comes again, and the workers send each once', async () => {
    const receiver = await startWebhookReceiver([204]);
    const db = new Database(':memory:');
    const bus = new SqliteBus({ db, defaultPartitions: 3 });
    let consumer: ConsumerHandle | undefined;
    try {
      await bus.ensureTopics([{ topic: BUS_TOPICS.alerts, partitions: 3, replicationFactor: 1 }]);
      const ports = memoryAlerterPorts();
      const policy = new WebhookUrlPolicy(['127.0.0.1']);
      const recorder = createAlerter({ ...ports, webhook: { policy }, alsoDeliverTo: [new AlertLogPublisher(bus, () => 'trace-1')] });
      const sender = createAlerter({ ...ports, webhook: { policy }, delivery: { initialDelayMs: 5, maxDelayMs: 20 } });
      const subs = await Promise.all(['k1', 'k2'].map((key) => ports.subscriptions.create(key, { per: 'article', channels: { webhook: { url: receiver.url } } })));
      const read: IncomingMessage[] = [];
      consumer = await consumeEvents(bus, {
        topic: BUS_TOPICS.alerts,
        group: CONSUMER_GROUPS.alertDelivery,
        handle: async (events) => {
          read.push(...events.map((event) => event.message));
          await sender.deliverAlerts(events.map((event) => event.event));
        },
      });

      const article = sampleArticle();
      const alerts = await recorder.handleClassified([article]);
      expect(alerts).toHaveLength(2);
      // The bus brings the article again (its batch was not committed): nothing new, published again.
      expect(await recorder.handleClassified([article])).toEqual([]);
      await until('both publications of both alerts', () => read.length === 4);
      await until('the deliveries', () => receiver.received.length >= 2);
      await sender.dispatcher.idle();

      expect(read.map((message) => message.key).sort()).toEqual([subs[0].id, subs[0].id, subs[1].id, subs[1].id].sort());
      expect(read.every((message) => JSON.parse(message.value).subscriptionId === message.key && message.headers['x-trace-id'] === 'trace-1')).toBe(true);
      expect(receiver.received.map((r) => r.headers['x-monitor-delivery']).sort()).toEqual(alerts.map((a) => a.id).sort());
      expect(await ports.deliveries.list({})).toEqual(
        expect.arrayContaining(alerts.map((a) => expect.objectContaining({ alertId: a.id, channel: 'webhook', status: 'delivered', attempts: 1 }))),
      );
      await Promise.all([recorder.stop(), sender.stop()]);
    } finally {
      await consumer?.stop();
      await bus.close();
      db.close();
      await receiver.close();
    }
  });
});
