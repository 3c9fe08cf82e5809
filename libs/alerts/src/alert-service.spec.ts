import Database from 'better-sqlite3';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent } from '@monitor/contracts';
import { AlertDispatcher } from './alert-dispatcher';
import { SqliteAlertLedger } from './alert-ledger';
import { AlertService } from './alert-service';
import { SqliteDeliveryLog } from './delivery-log';
import { DeliveryRecord } from './delivery-log.port';
import { SqliteSubscriptionStore } from './sqlite-subscription.store';
import { SubscriptionMatcher } from './subscription-matcher';
import { WebhookChannel } from './webhook-channel';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { sampleArticle } from './testing/sample-articles';
import { startWebhookReceiver } from './testing/webhook-receiver';

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('AlertService end to end (SQLite file, webhook receiver on loopback)', () => {
  let dir: string;
  let file: string;
  const opened: Database.Database[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'alert-service-'));
    file = join(dir, 'monitor.db');
  });
  afterEach(() => {
    opened.splice(0).forEach((db) => db.open && db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  /** One alerter process: its own connection, matcher, ledger, delivery log and dispatcher. */
  function alerter(options: { maxAttempts?: number; deliver?: boolean; leaseMs?: number; deadLetter?: (record: DeliveryRecord) => Promise<void> } = {}) {
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    opened.push(db);
    const store = new SqliteSubscriptionStore(db);
    const ledger = new SqliteAlertLedger(db);
    const log = new SqliteDeliveryLog(db);
    const failed: DeliveryRecord[] = [];
    const dispatcher = new AlertDispatcher({
      log, ledger, subscriptions: store,
      channels: [new WebhookChannel({ policy: new WebhookUrlPolicy(['127.0.0.1']), timeoutMs: 2000 })],
      maxAttempts: options.maxAttempts ?? 5, initialDelayMs: 5, maxDelayMs: 20, leaseMs: options.leaseMs,
      onFailed: (record) => void failed.push(record),
      deadLetter: options.deadLetter,
    });
    const deliverer = options.deliver === false ? { outbox: dispatcher.outbox.bind(dispatcher), deliver: () => undefined } : dispatcher;
    const service = new AlertService({ matcher: SubscriptionMatcher.fromStore(store), ledger, subscriptions: store, deliverers: [deliverer] });
    return { db, store, ledger, log, dispatcher, service, failed };
  }

  it('alerts once per subscription and article across redelivery, re-classification and restart', async () => {
    const receiver = await startWebhookReceiver([204]);
    try {
      const first = alerter();
      const sub = first.store.create('k1', { topics: ['counter-narcotics-operations'], channels: { webhook: { url: receiver.url } } });
      const other = first.store.create('k2', { topics: 'any' });
      const article = sampleArticle();
      const alerts = await first.service.handleClassified([article, article]);
      expect(alerts.map((a) => a.subscriptionId).sort()).toEqual([sub.id, other.id].sort());
      for (const a of alerts) expect(parseEvent('alerts.v1', a)).toEqual(a);
      expect(alerts.map((a) => a.sourceName)).toEqual([article.sourceName, article.sourceName]);
      expect(await first.service.handleClassified([article])).toEqual([]);
      expect(await first.service.handleClassified([{ ...article, topics: [{ id: 'counter-narcotics-operations', score: 9, evidence: [] }] }])).toEqual([]);
      await first.dispatcher.idle();
      first.db.close();

      const restarted = alerter();
      expect(await restarted.service.handleClassified([article])).toEqual([]);
      await restarted.dispatcher.idle();
      expect(receiver.received).toHaveLength(1);
      expect(restarted.log.list({ ownerKeyId: 'k1' })).toEqual([
        expect.objectContaining({ alertId: alerts.find((a) => a.subscriptionId === sub.id)!.id, channel: 'webhook', status: 'delivered', attempts: 1 }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that fails three times then succeeds gets the alert once', async () => {
    const receiver = await startWebhookReceiver([500, 502, 503, 200]);
    try {
      const a = alerter();
      a.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.service.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(receiver.received.filter((r) => r.headers['x-monitor-delivery'] === alert.id)).toHaveLength(4);
      expect(a.log.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 4, lastError: 'HTTP 503 from ' + new URL(receiver.url).host });
      expect(a.failed).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that always fails ends as failed with the reason, reported once', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      const a = alerter({ maxAttempts: 4 });
      a.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.service.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(receiver.received).toHaveLength(4);
      const row = a.log.get({ alertId: alert.id, channel: 'webhook' });
      expect(row).toMatchObject({ status: 'failed', attempts: 4, lastError: expect.stringMatching(/^HTTP 500 .* \(after 4 attempts\)$/) });
      expect(a.log.list({ status: 'failed' })).toHaveLength(1);
      expect(a.failed).toEqual([row]);
    } finally {
      await receiver.close();
    }
  });

  it('publishes a failed delivery\'s dead letter, and tries again at the next resume when the bus refuses it', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      const letters: string[] = [];
      let refusals = 1;
      const a = alerter({
        maxAttempts: 2,
        deadLetter: async (record) => {
          if (refusals-- > 0) throw new Error('bus down');
          letters.push(record.alertId);
        },
      });
      a.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.service.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      const key = { alertId: alert.id, channel: 'webhook' as const };
      expect(a.log.get(key)).toMatchObject({ status: 'failed', deadLetterPending: true });
      expect(letters).toEqual([]);

      await a.dispatcher.resumeStale();
      expect(letters).toEqual([alert.id]);
      expect(a.log.get(key)).toMatchObject({ status: 'failed', deadLetterPending: false });
      await a.dispatcher.resumeStale();
      expect(letters).toEqual([alert.id]);
      expect(a.failed).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a dead letter left unpublished by a replica that died is published by another, once', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      // The first replica fails the delivery, then dies while publishing its dead letter.
      const dying = alerter({ maxAttempts: 1, leaseMs: 300, deadLetter: () => new Promise<void>(() => undefined) });
      dying.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const [alert] = await dying.service.handleClassified([sampleArticle()]);
      const key = { alertId: alert.id, channel: 'webhook' as const };
      await waitFor(() => dying.log.get(key)?.status === 'failed');
      dying.db.close(); // its lease renewals now fail, as a dead process's would stop

      const letters: string[] = [];
      const r1 = alerter({ leaseMs: 300, deadLetter: async (record) => void letters.push(record.alertId) });
      const r2 = alerter({ leaseMs: 300, deadLetter: async (record) => void letters.push(record.alertId) });
      await Promise.all([r1.dispatcher.resumeStale(), r2.dispatcher.resumeStale()]);
      expect(letters).toEqual([]); // the dying replica's hold has not run out yet
      await new Promise((resolve) => setTimeout(resolve, 400));
      await Promise.all([r1.dispatcher.resumeStale(), r2.dispatcher.resumeStale()]);
      expect(letters).toEqual([alert.id]);
      expect(r1.log.get(key)).toMatchObject({ status: 'failed', deadLetterPending: false });
    } finally {
      await receiver.close();
    }
  });

  it('a delivery left pending by a crash is resumed, and only once by two replicas', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const crashed = alerter({ deliver: false });
      crashed.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const [alert] = await crashed.service.handleClassified([sampleArticle()]);
      expect(crashed.log.get({ alertId: alert.id, channel: 'webhook' })?.status).toBe('pending');
      crashed.db.close();

      const r1 = alerter();
      const r2 = alerter();
      const resumed = await Promise.all([r1.dispatcher.resumeStale(), r2.dispatcher.resumeStale()]);
      expect(resumed.reduce((x, y) => x + y)).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect(r1.log.get({ alertId: alert.id, channel: 'webhook' })?.status).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('stop() abandons a delivery in flight and leaves it pending and free for the next start', async () => {
    const held: http.ServerResponse[] = [];
    const slow = http.createServer((req, res) => {
      req.resume();
      held.push(res);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const receiver = await startWebhookReceiver([200]);
    try {
      const first = alerter();
      const sub = first.store.create('k1', { channels: { webhook: { url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook` } } });
      const [alert] = await first.service.handleClassified([sampleArticle()]);
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await first.dispatcher.stop(2000);
      const row = first.log.get({ alertId: alert.id, channel: 'webhook' });
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(first.failed).toHaveLength(0);

      const next = alerter();
      next.store.update('k1', sub.id, { channels: { webhook: { url: receiver.url } } });
      expect(await next.dispatcher.resumeStale()).toBe(1);
      expect(next.log.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
      await receiver.close();
    }
  });

  it('a replica renews its lease on a delivery that outlasts it, so no other replica sends it too', async () => {
    const received: string[] = [];
    const slow = http.createServer((req, res) => {
      req.resume();
      received.push(String(req.headers['x-monitor-delivery']));
      setTimeout(() => res.writeHead(204).end(), 1000);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const running = alerter({ leaseMs: 150 });
      const other = alerter({ leaseMs: 150 });
      running.store.create('k1', { channels: { webhook: { url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook` } } });
      const [alert] = await running.service.handleClassified([sampleArticle()]);
      // The other replica looks for stale rows all through the second the receiver takes.
      const resumedByOther: number[] = [];
      const until = Date.now() + 1000;
      while (Date.now() < until) {
        resumedByOther.push(await other.dispatcher.resumeStale());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await running.dispatcher.idle();
      expect(resumedByOther.every((n) => n === 0)).toBe(true);
      expect(received).toEqual([alert.id]);
      expect(running.log.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('a delivery held by a replica that died mid-attempt is resumed by another once its lease runs out', async () => {
    // The first request hangs, as the dead replica's did; later ones succeed.
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      received.push(String(req.headers['x-monitor-delivery']));
      if (received.length > 1) res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const dying = alerter({ leaseMs: 300 });
      const survivor = alerter({ leaseMs: 300 });
      dying.store.create('k1', { channels: { webhook: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` } } });
      const [alert] = await dying.service.handleClassified([sampleArticle()]);
      while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // Killed: it neither writes to the file nor renews its lease any more.
      dying.db.close();
      expect(await survivor.dispatcher.resumeStale()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await survivor.dispatcher.resumeStale()).toBe(1);
      expect(received).toEqual([alert.id, alert.id]);
      expect(survivor.log.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('two replicas handling the same articles send each alert once', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const r1 = alerter();
      const r2 = alerter();
      r1.store.create('k1', { channels: { webhook: { url: receiver.url } } });
      const articles = Array.from({ length: 20 }, () => sampleArticle());
      const [a1, a2] = await Promise.all([r1.service.handleClassified(articles), r2.service.handleClassified(articles)]);
      await Promise.all([r1.dispatcher.idle(), r2.dispatcher.idle()]);
      expect(a1.length + a2.length).toBe(20);
      expect(receiver.received).toHaveLength(20);
      expect(new Set(receiver.received.map((r) => r.headers['x-monitor-delivery'])).size).toBe(20);
    } finally {
      await receiver.close();
    }
  });

  it('digest subscriptions get no immediate push, only the ledger entry', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const a = alerter();
      a.store.create('k1', { delivery: { mode: 'daily' }, channels: { webhook: { url: receiver.url } } });
      const alerts = await a.service.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(alerts).toHaveLength(1);
      expect(receiver.received).toHaveLength(0);
      expect(a.log.list({})).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('AlertService spike alerts', () => {
  it('alerts subscriptions that asked for spikes once per topic and day, with the articles behind it', async () => {
    const { SpikeDetector } = await import('./spike-detector');
    const db = new Database(':memory:');
    const store = new SqliteSubscriptionStore(db);
    const spikes = new SpikeDetector(db, { minHistoryDays: 0 });
    let now = new Date('2025-03-15T12:00:00Z');
    const service = new AlertService({ matcher: SubscriptionMatcher.fromStore(store), ledger: new SqliteAlertLedger(db), spikes, now: () => now });
    const wants = store.create('k1', { topics: ['precursors'], spikeAlerts: true, minScore: 100 });
    store.create('k1', { topics: ['precursors'] });
    store.create('k2', { topics: ['golden-triangle'], spikeAlerts: true });
    const burst = Array.from({ length: 6 }, (_, i) => sampleArticle({ title: `Shipment ${i}`, publishedAt: '2025-03-15T08:00:00Z', topics: [['precursors', 2]] }));
    await service.handleClassified(burst);
    const alerts = service.checkSpikes();
    expect(alerts).toHaveLength(1);
    expect(parseEvent('alerts.v1', alerts[0])).toMatchObject({ kind: 'spike', subscriptionId: wants.id, topics: [{ id: 'precursors', score: 6 }] });
    expect(alerts[0].related?.map((r) => r.title).sort()).toEqual(burst.map((b) => b.title).sort());
    now = new Date('2025-03-15T13:00:00Z');
    await service.handleClassified([sampleArticle({ publishedAt: '2025-03-15T12:30:00Z', topics: [['precursors', 2]] })]);
    expect(service.checkSpikes()).toEqual([]);
    db.close();
  });
});
