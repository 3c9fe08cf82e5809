import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Alert, MonitorError } from '@monitor/contracts';
import { alertIdFor } from './alert-id';
import { AlertStreamHub, lastEventIdFrom } from './alert-stream';
import { MemoryAlertLedger } from './testing/memory-alert-ledger';
import { SseTestClient } from './testing/sse-client';

let n = 0;
function alertFor(ownerKeyId: string): Alert {
  n += 1;
  const articleId = 'a' + n.toString(16).padStart(31, '0');
  return {
    schema: 'alerts.v1', id: alertIdFor('s-' + ownerKeyId, articleId), kind: 'article', subscriptionId: 's-' + ownerKeyId, ownerKeyId,
    articleId, title: `Alert <${n}>`, topics: [], createdAt: new Date().toISOString(),
  };
}

describe('AlertStreamHub over real HTTP', () => {
  let ledger: MemoryAlertLedger;
  let hub: AlertStreamHub;
  let server: http.Server;
  let base: string;
  const clients: SseTestClient[] = [];

  async function start(options: { heartbeatMs?: number; pollMs?: number } = {}) {
    hub = new AlertStreamHub({ ledger, pollMs: 0, ...options });
    server = http.createServer((req, res) => hub.serve(res, { ownerKeyId: String(req.headers['x-owner']), lastEventId: lastEventIdFrom(req) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts/stream`;
  }
  async function connect(owner: string, headers: Record<string, string> = {}, path = '') {
    const client = await SseTestClient.connect(base + path, { 'x-owner': owner, ...headers });
    clients.push(client);
    return client;
  }
  const record = async (alert: Alert) => (await ledger.record(alert.subscriptionId, alert.articleId!, alert)).entry;

  beforeEach(() => {
    ledger = new MemoryAlertLedger();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    hub.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends live alerts of the key only, with the ledger seq as event id', async () => {
    await start();
    const mine = await connect('k1');
    const theirs = await connect('k2');
    await mine.waitFor(() => hub.connectionCount('k1') === 1);
    expect(mine.status).toBe(200);
    expect(mine.headers['content-type']).toMatch(/^text\/event-stream/);
    const a = alertFor('k1');
    const entry = await record(a);
    hub.publish(a);
    await mine.waitFor((c) => c.events.length === 1);
    expect(mine.events[0]).toEqual({ id: String(entry.seq), event: 'alert', data: JSON.stringify(a) });
    expect(JSON.parse(mine.events[0].data).title).toBe('Alert <' + n + '>');
    const b = alertFor('k2');
    await record(b);
    hub.publish(b);
    await theirs.waitFor((c) => c.events.length === 1);
    expect(mine.events).toHaveLength(1);
  });

  it('names a story update story.updated and every other alert alert, in one sequence of ids', async () => {
    await start();
    const client = await connect('k1');
    await client.waitFor(() => hub.connectionCount('k1') === 1);
    const story = { ...alertFor('k1'), kind: 'story' as const };
    const update = { ...alertFor('k1'), kind: 'story.updated' as const };
    const first = await record(story);
    const second = await record(update);
    hub.publish(update);
    await client.waitFor((c) => c.events.length === 2);
    expect(client.events.map((e) => [e.id, e.event])).toEqual([
      [String(first.seq), 'alert'],
      [String(second.seq), 'story.updated'],
    ]);
  });

  it('without Last-Event-ID starts from now; with it replays what was missed, then goes live, each alert once', async () => {
    await start();
    const first = await record(alertFor('k1'));
    const missed = [await record(alertFor('k1')), await record(alertFor('k1'))];
    const fresh = await connect('k1');
    const resumed = await connect('k1', { 'Last-Event-ID': String(first.seq) });
    await resumed.waitFor((c) => c.events.length === 2);
    expect(resumed.events.map((e) => Number(e.id))).toEqual(missed.map((m) => m.seq));

    const live = alertFor('k1');
    const liveEntry = await record(live);
    hub.publish(live);
    hub.publish(live);
    hub.publish(live);
    await resumed.waitFor((c) => c.events.length === 3);
    await fresh.waitFor((c) => c.events.length === 1);
    const later = alertFor('k1');
    await record(later);
    hub.publish(later);
    await resumed.waitFor((c) => c.events.length === 4);
    await fresh.waitFor((c) => c.events.length === 2);
    expect(resumed.events.map((e) => Number(e.id))).toEqual([...missed.map((m) => m.seq), liveEntry.seq, liveEntry.seq + 1]);
    expect(fresh.events.map((e) => Number(e.id))).toEqual([liveEntry.seq, liveEntry.seq + 1]);
  });

  it('has no gap and no duplicate when alerts arrive while a resume is replaying', async () => {
    await start();
    for (let i = 0; i < 450; i++) await record(alertFor('k1'));
    const client = await connect('k1', {}, '?lastEventId=0');
    const extra: number[] = [];
    for (let i = 0; i < 50; i++) {
      const a = alertFor('k1');
      extra.push((await record(a)).seq);
      hub.publish(a);
      await new Promise((r) => setImmediate(r));
    }
    await client.waitFor((c) => c.events.length >= 500);
    await new Promise((r) => setTimeout(r, 50));
    const ids = client.events.map((e) => Number(e.id));
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('picks up alerts recorded by another replica through polling', async () => {
    await start({ pollMs: 30 });
    const client = await connect('k1');
    await client.waitFor(() => hub.connectionCount('k1') === 1);
    const otherConnection = ledger.sibling();
    const a = alertFor('k1');
    await otherConnection.record(a.subscriptionId, a.articleId!, a);
    await client.waitFor((c) => c.events.length === 1);
  });

  it('keeps a stream open while the ledger is away, and goes on from its cursor when it is back', async () => {
    await start({ pollMs: 30 });
    const client = await connect('k1');
    await client.waitFor(() => hub.connectionCount('k1') === 1);
    const first = alertFor('k1');
    await record(first);
    hub.publish(first);
    await client.waitFor((c) => c.events.length === 1);

    const read = ledger.afterSeq.bind(ledger);
    let failures = 0;
    ledger.afterSeq = async () => {
      failures += 1;
      throw new MonitorError('STATE_STORE_UNAVAILABLE', 'the ledger is away', { retriable: true });
    };
    const second = alertFor('k1');
    await record(second);
    hub.publish(second);
    await client.waitFor(() => failures >= 3);
    expect(hub.connectionCount('k1')).toBe(1);

    ledger.afterSeq = read;
    await client.waitFor((c) => c.events.length === 2);
    expect(client.events.map((e) => JSON.parse(e.data).id)).toEqual([first.id, second.id]);
  });

  it('ends a stream when the ledger refuses for good, so the client resumes elsewhere', async () => {
    await start({ pollMs: 30 });
    const client = await connect('k1');
    await client.waitFor(() => hub.connectionCount('k1') === 1);
    ledger.afterSeq = async () => {
      throw new MonitorError('STATE_STORE_REJECTED', 'bad query', { retriable: false });
    };
    hub.publish(alertFor('k1'));
    await client.waitFor(() => hub.connectionCount('k1') === 0);
  });

  it('sends heartbeat comments and forgets closed streams', async () => {
    await start({ heartbeatMs: 20 });
    const client = await connect('k1');
    await client.waitFor((c) => c.comments.includes('heartbeat'));
    client.close();
    const deadline = Date.now() + 2000;
    while (hub.connectionCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(hub.connectionCount()).toBe(0);
  });

  it('does not move past an entry whose predecessor is not visible yet, when the ledger says searches may lag', async () => {
    const first = await record(alertFor('k1'));
    const second = await record(alertFor('k1'));
    // As Elasticsearch may: the first read shows the second alert but not the first, which another
    // alerter wrote and which becomes visible right after that read.
    let hidden = true;
    const lagging = Object.assign(Object.create(ledger) as MemoryAlertLedger, {
      visibilityLagMs: 300,
      afterSeq: async (owner: string, after: number, limit?: number) => {
        const entries = await ledger.afterSeq(owner, after, limit);
        if (!hidden) return entries;
        hidden = false;
        return entries.filter((entry) => entry.seq !== first.seq);
      },
    });
    hub = new AlertStreamHub({ ledger: lagging, pollMs: 0 });
    server = http.createServer((req, res) => hub.serve(res, { ownerKeyId: String(req.headers['x-owner']), lastEventId: lastEventIdFrom(req) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts/stream`;
    const client = await connect('k1', { 'Last-Event-ID': '0' });
    await client.waitFor((c) => c.events.length === 2);
    expect(client.events.map((event) => event.id)).toEqual([String(first.seq), String(second.seq)]);
  });
});
