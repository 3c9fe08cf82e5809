import { createAlerter } from './alerter';
import { digestIdFor } from './digest-scheduler';
import { WebhookBody } from './webhook-channel';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { memoryAlerterPorts } from './testing/memory-alerter-ports';
import { sampleArticle } from './testing/sample-articles';
import { startWebhookReceiver } from './testing/webhook-receiver';

describe('DigestScheduler', () => {
  let now: Date;
  const clock = () => now;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeEach(async () => {
    now = new Date('2025-03-15T10:20:00Z');
    receiver = await startWebhookReceiver([200]);
  });
  afterEach(() => receiver.close());

  const alerterOn = (ports: ReturnType<typeof memoryAlerterPorts>) =>
    createAlerter({ ...ports, webhook: { policy: new WebhookUrlPolicy(true) }, delivery: { initialDelayMs: 5, maxDelayMs: 10 }, now: clock });

  it('sends one message per period with every alert since the previous digest, once', async () => {
    const ports = memoryAlerterPorts(clock);
    const alerter = alerterOn(ports);
    const sub = await ports.subscriptions.create('k1', { per: 'article', name: 'hourly desk', delivery: { mode: 'hourly' }, channels: { webhook: { url: receiver.url } } });

    await alerter.handleClassified([sampleArticle({ title: 'First' }), sampleArticle({ title: 'Second' })]);
    await alerter.dispatcher.idle();
    expect(receiver.received).toHaveLength(0);
    expect(await alerter.runDueDigests()).toEqual([]);

    now = new Date('2025-03-15T11:05:00Z');
    await alerter.handleClassified([sampleArticle({ title: 'Third, after the hour' })]);
    const [delivered] = await alerter.runDueDigests();
    expect(delivered).toMatchObject({ kind: 'digest', channel: 'webhook', status: 'delivered', subscriptionId: sub.id });
    expect(await alerter.runDueDigests()).toEqual([]);
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0].body as Extract<WebhookBody, { type: 'digest' }>;
    expect(body.type).toBe('digest');
    expect(body.period).toEqual({ mode: 'hourly', from: '2025-03-15T10:00:00.000Z', to: '2025-03-15T11:00:00.000Z' });
    expect(body.alerts.map((a) => a.title)).toEqual(['First', 'Second']);
    expect(await alerter.digests.messageFor(delivered.alertId)).toMatchObject({ kind: 'digest', alerts: [{ title: 'First' }, { title: 'Second' }] });

    now = new Date('2025-03-15T12:01:00Z');
    await alerter.runDueDigests();
    expect((receiver.received[1].body as { alerts: Array<{ title: string }> }).alerts.map((a) => a.title)).toEqual(['Third, after the hour']);
  });

  it('a digest left pending by a crash is resumed by the next start with its message rebuilt', async () => {
    const ports = memoryAlerterPorts(clock);
    const crashed = alerterOn(ports);
    await ports.subscriptions.create('k1', { per: 'article', delivery: { mode: 'daily' }, channels: { webhook: { url: receiver.url } } });
    await crashed.handleClassified([sampleArticle({ title: 'Overnight' })]);
    // Stopped before it could send: the digest and its pending delivery are recorded, nothing went out.
    await crashed.stop();
    now = new Date('2025-03-16T00:10:00Z');
    expect(await crashed.runDueDigests()).toEqual([]);
    expect(await ports.deliveries.list({ status: 'pending' })).toEqual([expect.objectContaining({ kind: 'digest' })]);

    const next = alerterOn(ports);
    expect(await next.resumeStale()).toBe(1);
    expect(await next.runDueDigests()).toEqual([]);
    expect(receiver.received.map((r) => (r.body as Extract<WebhookBody, { type: 'digest' }>).alerts.map((a) => a.title))).toEqual([['Overnight']]);
    expect(await ports.deliveries.list({})).toEqual([expect.objectContaining({ kind: 'digest', status: 'delivered', attempts: 1 })]);
  });

  it('a digest that a crash left without its deliveries gets them from the next replica that finds it, and is sent once', async () => {
    const ports = memoryAlerterPorts(clock);
    const sub = await ports.subscriptions.create('k1', { per: 'article', delivery: { mode: 'hourly' }, channels: { webhook: { url: receiver.url } } });
    const alerter = alerterOn(ports);
    await alerter.handleClassified([sampleArticle({ title: 'Before the crash' })]);
    now = new Date('2025-03-15T11:05:00Z');
    // What a replica that died between the two writes leaves: the digest, and no delivery row.
    const [entry] = await ports.ledger.forSubscription(sub.id);
    const from = '2025-03-15T10:00:00.000Z';
    const id = digestIdFor(sub.id, from);
    await ports.digestPeriods.create({ id, subscriptionId: sub.id, mode: 'hourly', from, to: '2025-03-15T11:00:00.000Z', fromSeq: 0, toSeq: entry.seq, createdAt: now.toISOString() });
    expect(await ports.deliveries.list({})).toEqual([]);

    const [delivered] = await alerter.runDueDigests();
    expect(delivered).toMatchObject({ alertId: id, kind: 'digest', status: 'delivered' });
    expect(await alerter.runDueDigests()).toEqual([]);
    expect(receiver.received.map((r) => (r.body as Extract<WebhookBody, { type: 'digest' }>).alerts.map((a) => a.title))).toEqual([['Before the crash']]);
  });

  it('replicas running the schedule at once make one digest and send it once', async () => {
    const ports = memoryAlerterPorts(clock);
    await ports.subscriptions.create('k1', { per: 'article', delivery: { mode: 'hourly' }, channels: { webhook: { url: receiver.url } } });
    const [one, two] = [alerterOn(ports), alerterOn(ports)];
    await one.handleClassified([sampleArticle({ title: 'Shared' })]);
    now = new Date('2025-03-15T11:05:00Z');
    const rounds = await Promise.all([one.runDueDigests(), two.runDueDigests()]);
    expect(rounds.flat()).toEqual([expect.objectContaining({ kind: 'digest', status: 'delivered' })]);
    expect(receiver.received).toHaveLength(1);
  });
});
