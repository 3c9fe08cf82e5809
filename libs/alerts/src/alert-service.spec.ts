import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parseEvent } from '@monitor/contracts';
import { AlerterPorts, createAlerter } from './alerter';
import type { AlertDeliverer } from './alert-service';
import { DeliveryRecord } from './delivery-log.port';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { memoryAlerterPorts } from './testing/memory-alerter-ports';
import { sampleArticle } from './testing/sample-articles';
import { startWebhookReceiver } from './testing/webhook-receiver';

const LEASE_MS = 30_000;

/** A view of a port that fails every call once killed, as a dead replica's connection would. */
function killable<T extends object>(port: T, isDead: () => boolean): T {
  return new Proxy(port, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (isDead()) return Promise.reject(new Error('replica is dead'));
        return value.apply(target, args);
      };
    },
  });
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Keeps what is pushed to it; next(n) resolves once n values have arrived, so a test waits on events, not on time. */
function signal<T>() {
  const seen: T[] = [];
  let wake = () => undefined as void;
  return {
    seen,
    push: (value: T) => {
      seen.push(value);
      wake();
    },
    next: (count = 1) => new Promise<void>((resolve) => (seen.length >= count ? resolve() : (wake = () => seen.length >= count && resolve()))),
  };
}

describe('the alerter built by createAlerter, its replicas sharing one state', () => {
  let now: number;
  const clock = () => new Date(now);
  let ports: ReturnType<typeof memoryAlerterPorts>;
  beforeEach(() => {
    now = Date.parse('2025-03-15T12:00:00Z');
    ports = memoryAlerterPorts(clock);
    publishRefusals = 0;
  });

  /** Refusals the in-process log of alerts has left to give (a crash between the ledger write and the publish). */
  let publishRefusals = 0;

  /**
   * One alerter process: its own matcher, dispatcher and leases, over the shared state; its lease
   * heartbeat beats when the test says. Its log of alerts is in-process: what it records is handed
   * to its own deliverAlerts() at once, without waiting, as a delivery worker reading alerts.v1 would.
   */
  function replica(options: { maxAttempts?: number; parkAfterMs?: number; deadLetter?: (record: DeliveryRecord) => Promise<void> } = {}) {
    let dead = false;
    const beats = new Set<() => void>();
    const failed = signal<DeliveryRecord>();
    const views = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, killable(port, () => dead)])) as unknown as AlerterPorts;
    const log: AlertDeliverer = {
      outbox: async (entries) => {
        if (publishRefusals > 0 && publishRefusals--) throw new Error('killed between the writes');
        void alerter.deliverAlerts(entries.map((entry) => entry.alert)).catch(() => undefined);
      },
      deliver: () => undefined,
    };
    const alerter = createAlerter({
      ...views,
      webhook: { policy: new WebhookUrlPolicy(['127.0.0.1']), timeoutMs: 2000 },
      alsoDeliverTo: [log],
      delivery: {
        maxAttempts: options.maxAttempts ?? 5,
        initialDelayMs: 5,
        maxDelayMs: 20,
        parkAfterMs: options.parkAfterMs,
        leaseMs: LEASE_MS,
        onFailed: (record) => failed.push(record),
        deadLetter: options.deadLetter,
        heartbeat: (_everyMs, beat) => {
          beats.add(beat);
          return () => beats.delete(beat);
        },
      },
      spikes: { minHistoryDays: 0 },
      now: clock,
    });
    return { ...alerter, failed, kill: () => (dead = true), beat: () => beats.forEach((beat) => beat()) };
  }

  it('alerts once per subscription and article across redelivery, re-classification and restart', async () => {
    const receiver = await startWebhookReceiver([204]);
    try {
      const first = replica();
      const sub = await ports.subscriptions.create('k1', { per: 'article', topics: ['counter-narcotics-operations'], channels: { webhook: { url: receiver.url } } });
      const other = await ports.subscriptions.create('k2', { per: 'article', topics: 'any' });
      const article = sampleArticle();
      const alerts = await first.handleClassified([article, article]);
      expect(alerts.map((a) => a.subscriptionId).sort()).toEqual([sub.id, other.id].sort());
      for (const a of alerts) expect(parseEvent('alerts.v1', a)).toEqual(a);
      expect(alerts.map((a) => a.sourceName)).toEqual([article.sourceName, article.sourceName]);
      expect(await first.handleClassified([article])).toEqual([]);
      expect(await first.handleClassified([{ ...article, topics: [{ id: 'counter-narcotics-operations', score: 9, evidence: [] }] }])).toEqual([]);
      await first.dispatcher.idle();
      await first.stop();

      const restarted = replica();
      expect(await restarted.handleClassified([article])).toEqual([]);
      await restarted.dispatcher.idle();
      expect(receiver.received).toHaveLength(1);
      expect(await ports.deliveries.list({ ownerKeyId: 'k1' })).toEqual([
        expect.objectContaining({ alertId: alerts.find((a) => a.subscriptionId === sub.id)!.id, channel: 'webhook', status: 'delivered', attempts: 1 }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('an alert whose publication a crash interrupted is published again, and sent once, when its article comes again', async () => {
    const receiver = await startWebhookReceiver([204]);
    try {
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const article = sampleArticle();
      // The replica died between the two writes: the ledger has the alert, the log of alerts does not.
      const crashed = replica();
      publishRefusals = 1;
      await expect(crashed.handleClassified([article])).rejects.toThrow('killed between the writes');
      expect(await ports.ledger.latest(10)).toHaveLength(1);
      expect(await ports.deliveries.list({})).toEqual([]);

      // The bus redelivers the uncommitted batch: nothing is new, but the alert is published and sent.
      const next = replica();
      expect(await next.handleClassified([article])).toEqual([]);
      await next.dispatcher.idle();
      expect(await ports.deliveries.list({})).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
      // Published once more (a redelivery after the publish): the delivery log keeps it from going out twice.
      expect(await next.handleClassified([article])).toEqual([]);
      await next.dispatcher.idle();
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('parks a delivery whose receiver asks for a long wait, and a replica resumes it once it is due', async () => {
    const answers = signal<string>();
    const receiver = await listen((req, res) => {
      req.resume();
      answers.push(String(req.headers['x-monitor-delivery']));
      if (answers.seen.length === 1) res.writeHead(503, { 'Retry-After': '120' }).end();
      else res.writeHead(204).end();
    });
    try {
      const first = replica({ parkAfterMs: 1_000 });
      const other = replica();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await first.handleClassified([sampleArticle()]);
      await first.dispatcher.idle();
      // Not waited out in the batch: recorded as pending with one attempt, and held until it is due.
      const key = { alertId: alert.id, channel: 'webhook' as const };
      expect(await ports.deliveries.get(key)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/HTTP 503/) });
      expect(await other.resumeStale()).toBe(0);
      now += 120_000 + 1;
      expect(await other.resumeStale()).toBe(1);
      expect(await ports.deliveries.get(key)).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(answers.seen).toEqual([alert.id, alert.id]);
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that fails three times then succeeds gets the alert once', async () => {
    const receiver = await startWebhookReceiver([500, 502, 503, 200]);
    try {
      const a = replica();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(receiver.received.filter((r) => r.headers['x-monitor-delivery'] === alert.id)).toHaveLength(4);
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({
        status: 'delivered', attempts: 4, lastError: 'HTTP 503 from ' + new URL(receiver.url).host,
      });
      expect(a.failed.seen).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('a receiver that always fails ends as failed with the reason, reported once', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      const a = replica({ maxAttempts: 4 });
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(receiver.received).toHaveLength(4);
      const row = await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' });
      expect(row).toMatchObject({ status: 'failed', attempts: 4, lastError: expect.stringMatching(/^HTTP 500 .* \(after 4 attempts\)$/) });
      expect(await ports.deliveries.list({ status: 'failed' })).toHaveLength(1);
      expect(a.failed.seen).toEqual([row]);
    } finally {
      await receiver.close();
    }
  });

  it('publishes a failed delivery\'s dead letter, and tries again at the next resume when the bus refuses it', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      const letters: string[] = [];
      let refusals = 1;
      const a = replica({
        maxAttempts: 2,
        deadLetter: async (record) => {
          if (refusals-- > 0) throw new Error('bus down');
          letters.push(record.alertId);
        },
      });
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await a.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      const key = { alertId: alert.id, channel: 'webhook' as const };
      expect(await ports.deliveries.get(key)).toMatchObject({ status: 'failed', deadLetterPending: true });
      expect(letters).toEqual([]);

      await a.resumeStale();
      expect(letters).toEqual([alert.id]);
      expect(await ports.deliveries.get(key)).toMatchObject({ status: 'failed', deadLetterPending: false });
      await a.resumeStale();
      expect(letters).toEqual([alert.id]);
      expect(a.failed.seen).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a dead letter left unpublished by a replica that died is published by another, once', async () => {
    const receiver = await startWebhookReceiver([500]);
    try {
      // The first replica fails the delivery, then dies while publishing its dead letter.
      const dying = replica({ maxAttempts: 1, deadLetter: () => new Promise<void>(() => undefined) });
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await dying.handleClassified([sampleArticle()]);
      await dying.failed.next();
      dying.kill();

      const letters: string[] = [];
      const r1 = replica({ deadLetter: async (record) => void letters.push(record.alertId) });
      const r2 = replica({ deadLetter: async (record) => void letters.push(record.alertId) });
      await Promise.all([r1.resumeStale(), r2.resumeStale()]);
      expect(letters).toEqual([]); // the dying replica's hold has not run out yet
      now += LEASE_MS + 1;
      await Promise.all([r1.resumeStale(), r2.resumeStale()]);
      expect(letters).toEqual([alert.id]);
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'failed', deadLetterPending: false });
    } finally {
      await receiver.close();
    }
  });

  it('a delivery left pending by a crash is resumed, and only once by two replicas', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      // Stopped before its deliveries start: the alert and its pending row are recorded, nothing was sent.
      const crashed = replica();
      await crashed.stop();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await crashed.handleClassified([sampleArticle()]);
      expect((await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' }))?.status).toBe('pending');

      const r1 = replica();
      const r2 = replica();
      const resumed = await Promise.all([r1.resumeStale(), r2.resumeStale()]);
      expect(resumed.reduce((x, y) => x + y)).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect((await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' }))?.status).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('stop() abandons a delivery in flight and leaves it pending and free for the next start', async () => {
    const arrived = signal<http.ServerResponse>();
    const slow = await listen((req, res) => {
      req.resume();
      arrived.push(res);
    });
    const receiver = await startWebhookReceiver([200]);
    try {
      const first = replica();
      const sub = await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: slow.url } } });
      const [alert] = await first.handleClassified([sampleArticle()]);
      await arrived.next();
      await first.stop(2000);
      // The attempt cut short counts: its request reached the receiver. The limit holds across starts.
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'pending', attempts: 1 });
      expect(first.failed.seen).toHaveLength(0);

      const next = replica();
      await ports.subscriptions.update('k1', sub.id, { channels: { webhook: { url: receiver.url } } });
      expect(await next.resumeStale()).toBe(1);
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await slow.close();
      await receiver.close();
    }
  });

  it('a replica renews its lease on a delivery that outlasts it, so no other replica sends it too', async () => {
    const arrived = signal<http.ServerResponse>();
    const received: string[] = [];
    const slow = await listen((req, res) => {
      req.resume();
      received.push(String(req.headers['x-monitor-delivery']));
      arrived.push(res);
    });
    try {
      const running = replica();
      const other = replica();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: slow.url } } });
      const [alert] = await running.handleClassified([sampleArticle()]);
      await arrived.next();
      // Past the first lease, with one heartbeat in between: the hold is still the running replica's.
      now += LEASE_MS * 0.6;
      running.beat();
      now += LEASE_MS * 0.6;
      expect(await other.resumeStale()).toBe(0);
      arrived.seen[0].writeHead(204).end();
      await running.dispatcher.idle();
      expect(received).toEqual([alert.id]);
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      await slow.close();
    }
  });

  it('a delivery held by a replica that died mid-attempt is resumed by another once its lease runs out', async () => {
    // The first request hangs, as the dead replica's did; later ones succeed.
    const arrived = signal<string>();
    const receiver = await listen((req, res) => {
      req.resume();
      arrived.push(String(req.headers['x-monitor-delivery']));
      if (arrived.seen.length > 1) res.writeHead(204).end();
    });
    try {
      const dying = replica();
      const survivor = replica();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const [alert] = await dying.handleClassified([sampleArticle()]);
      await arrived.next();
      // Killed: it neither writes to the shared state nor renews its lease any more.
      dying.kill();
      dying.beat();
      expect(await survivor.resumeStale()).toBe(0);
      now += LEASE_MS + 1;
      expect(await survivor.resumeStale()).toBe(1);
      expect(arrived.seen).toEqual([alert.id, alert.id]);
      // Both requests count, the dead replica's too: it was counted before it was sent.
      expect(await ports.deliveries.get({ alertId: alert.id, channel: 'webhook' })).toMatchObject({ status: 'delivered', attempts: 2 });
    } finally {
      await receiver.close();
    }
  });

  it('two replicas handling the same articles send each alert once', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const r1 = replica();
      const r2 = replica();
      await ports.subscriptions.create('k1', { per: 'article', channels: { webhook: { url: receiver.url } } });
      const articles = Array.from({ length: 20 }, () => sampleArticle());
      const [a1, a2] = await Promise.all([r1.handleClassified(articles), r2.handleClassified(articles)]);
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
      const a = replica();
      await ports.subscriptions.create('k1', { per: 'article', delivery: { mode: 'daily' }, channels: { webhook: { url: receiver.url } } });
      const alerts = await a.handleClassified([sampleArticle()]);
      await a.dispatcher.idle();
      expect(alerts).toHaveLength(1);
      expect(receiver.received).toHaveLength(0);
      expect(await ports.deliveries.list({})).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('alerts subscriptions that asked for spikes once per topic and day, with the articles behind it', async () => {
    const a = replica();
    const wants = await ports.subscriptions.create('k1', { per: 'article', topics: ['precursors'], spikeAlerts: true, minScore: 100 });
    await ports.subscriptions.create('k1', { per: 'article', topics: ['precursors'] });
    await ports.subscriptions.create('k2', { per: 'article', topics: ['golden-triangle'], spikeAlerts: true });
    const burst = Array.from({ length: 6 }, (_, i) => sampleArticle({ title: `Shipment ${i}`, publishedAt: '2025-03-15T08:00:00Z', topics: [['precursors', 2]] }));
    await a.handleClassified(burst);
    const alerts = await a.checkSpikes();
    expect(alerts).toHaveLength(1);
    expect(parseEvent('alerts.v1', alerts[0])).toMatchObject({ kind: 'spike', subscriptionId: wants.id, topics: [{ id: 'precursors', score: 6 }] });
    expect(alerts[0].related?.map((r) => r.title).sort()).toEqual(burst.map((b) => b.title).sort());
    now += 3_600_000;
    await a.handleClassified([sampleArticle({ publishedAt: '2025-03-15T12:30:00Z', topics: [['precursors', 2]] })]);
    expect(await a.checkSpikes()).toEqual([]);
  });
});
