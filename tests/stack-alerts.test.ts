import type { DeliveryRecord } from '@monitor/alerts';
import { Alert, BUS_TOPICS, CONSUMER_GROUPS, HEADERS, deadLetterTopic } from '@monitor/contracts';
import { ConsumerHandle, IncomingMessage } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { ParsedMail, simpleParser } from 'mailparser';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { SMTPServer } from 'smtp-server';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { SseClient } from './support/sse-client';
import { StackApi, expectHealthy } from './support/stack-checks';
import { RunningStack, STACK_SERVICES, startStack } from './support/stack-services';
import { groupPartitions, metricValue, testBus } from './support/stack-traffic';

// Every alert channel of the production stack end to end, with the alerter scaled to two replicas
// in one consumer group: a feed site, webhook receivers, an SMTP server, an SSE client and an Atom
// reader, all real and on loopback; Kafka and Elasticsearch real. Each alert must reach every
// channel of its subscription once, whichever replica matched it, and still once after one
// replica is killed (SIGKILL) in the middle of a stream of articles.
const TOPIC = 'afghanistan-opiates';
const ALERTERS = 2;
/** Enough articles that each replica's partitions of news.classified.v1 (3 by default, keyed by article) get some. */
const BEFORE_KILL = 18;
const KILL_ROUND = 6;
const AFTER_KILL = 6;
const FLAKY_FAILURES = 3;
/**
 * One more than the flaky receiver needs, and no fewer: the replica killed mid-stream may have
 * counted an attempt it never sent (it died between writing the attempt and the request), and the
 * dispatcher rightly keeps such an attempt counted. Without the spare, that alert fails on the
 * flaky receiver and is dead-lettered.
 */
const MAX_ATTEMPTS = FLAKY_FAILURES + 2;

interface FeedItem {
  path: string;
  title: string;
  text: string;
}

/** A news item about Afghan opiates: every subscription of this test matches it. */
function opiatesItem(n: number): FeedItem {
  return {
    path: `/news/${n}/heroin-seizure.html`,
    title: `Border guards seize ${100 + n} kg of Afghan heroin on the northern route (case ${n})`,
    text:
      `Customs and drug-control agencies of three SCO member states intercepted ${100 + n} kilograms of heroin trafficked from Afghanistan ` +
      'along the northern route. The joint anti-drug operation targeted opium and heroin smuggling networks and detained four couriers.',
  };
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The feed site: an RSS feed whose items the test adds to as it goes. */
async function startFeedSite() {
  const items: FeedItem[] = [];
  const server = createServer((req, res) => {
    if (req.url !== '/feed.xml') return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><link>${base}</link>` +
        items
          .map((item) => `<item><title>${xml(item.title)}</title><link>${base}${item.path}</link><description>${xml(`<p>${item.text}</p>`)}</description></item>`)
          .join('') +
        '</channel></rss>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    base,
    /** Adds items to the feed; returns their article URLs, as alerts carry them. */
    add(from: number, count: number): string[] {
      const added = Array.from({ length: count }, (_, i) => opiatesItem(from + i));
      items.push(...added);
      return added.map((item) => `${base}${item.path}`);
    },
  };
}

interface WebhookCall {
  deliveryId: string;
  event: string;
  raw: string;
  signed: boolean;
  status: number;
  at: number;
}

/** One alert a channel's receiver took in (a webhook answered 2xx, an email accepted), by its X-Monitor-Delivery id. */
interface Receipt {
  deliveryId: string;
  url: string | undefined;
  at: number;
}

interface Repeat {
  deliveryId: string;
  url: string | undefined;
  firstAt: number;
}

/**
 * What a receiver that follows the README handles: the first receipt of each delivery id, since it
 * drops a repeat of one it already handled; and those repeats, with when the first copy came.
 */
function dropRepeats(receipts: Receipt[]): { handled: Receipt[]; repeats: Repeat[] } {
  const first = new Map<string, Receipt>();
  const repeats: Repeat[] = [];
  for (const receipt of receipts) {
    const earlier = first.get(receipt.deliveryId);
    if (earlier) repeats.push({ deliveryId: receipt.deliveryId, url: receipt.url, firstAt: earlier.at });
    else first.set(receipt.deliveryId, receipt);
  }
  return { handled: [...first.values()], repeats };
}

/**
 * A repeat is the one duplicate that no sender can rule out: a replica killed after the receiver
 * took a delivery in but before it recorded the answer leaves the delivery pending, and the
 * survivor sends it again. So a repeat is expected only of a delivery whose first copy came before
 * the kill (`killedBy`: when the killed replica's last bytes had surely arrived), and only once;
 * any other is a real duplicate ('' when there is none).
 */
function unexplainedRepeats(channel: string, repeats: Repeat[], killedBy: number | undefined): string {
  const perDelivery = new Map<string, number>();
  for (const repeat of repeats) perDelivery.set(repeat.deliveryId, (perDelivery.get(repeat.deliveryId) ?? 0) + 1);
  const unexplained = repeats.filter((repeat) => killedBy === undefined || repeat.firstAt > killedBy || perDelivery.get(repeat.deliveryId)! > 1);
  return unexplained.length ? `${channel}: sent again: ${unexplained.map((repeat) => repeat.url).join(', ')}` : '';
}

interface WebhookAlert {
  id: string;
  subscriptionId: string;
  alert: Alert;
}

/** What a receiver does with X-Monitor-Signature: recompute the HMAC over the raw body, compare in constant time. */
function signatureValid(raw: Buffer, header: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(raw).digest('hex'));
  const given = Buffer.from(String(header ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A webhook receiver that checks every signature (401 when it is wrong) and otherwise answers with
 * `answer(n)`, n counting the requests of that delivery (X-Monitor-Delivery) so far, from 1.
 */
async function startReceiver(secret: string, answer: (attempt: number) => number) {
  const calls: WebhookCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const deliveryId = String(req.headers['x-monitor-delivery'] ?? '');
      const signed = signatureValid(raw, req.headers['x-monitor-signature'], secret);
      const attempt = calls.filter((call) => call.deliveryId === deliveryId).length + 1;
      const status = signed ? answer(attempt) : 401;
      calls.push({ deliveryId, event: String(req.headers['x-monitor-event'] ?? ''), raw: raw.toString('utf8'), signed, status, at: Date.now() });
      res.writeHead(status).end(status >= 400 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    calls,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    /** Every alert this receiver accepted (answered 2xx), in order, repeats included. */
    receipts: (): Receipt[] =>
      calls.filter((call) => call.status < 300).map((call) => ({ deliveryId: call.deliveryId, url: (JSON.parse(call.raw) as WebhookAlert).alert.url, at: call.at })),
    /** The bodies of the alerts it accepted, the first time each. */
    accepted: (): WebhookAlert[] => {
      const seen = new Set<string>();
      return calls
        .filter((call) => call.status < 300 && !seen.has(call.deliveryId) && seen.add(call.deliveryId))
        .map((call) => JSON.parse(call.raw) as WebhookAlert);
    },
  };
}

async function startSmtpServer() {
  const inbox: Array<{ mail: ParsedMail; at: number }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => inbox.push({ mail, at: Date.now() }))
        .then(() => callback(), callback);
    },
  });
  // The replica killed mid-session resets its connection, which the server reports as an error
  // event (and, with no listener, as an uncaught exception); the mail it was sending is resent.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return { smtp, inbox, url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}` };
}

const closeServer = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

/** How often each article URL occurs in what one channel received. */
function tally(urls: Array<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const url of urls) if (url) counts.set(url, (counts.get(url) ?? 0) + 1);
  return counts;
}

/** What is wrong with one channel's tally against the articles it must carry once each ('' when nothing). */
function onceEach(channel: string, counts: Map<string, number>, expected: string[]): string {
  const missing = expected.filter((url) => !counts.has(url));
  const repeated = [...counts].filter(([, count]) => count > 1).map(([url, count]) => `${url} ×${count}`);
  const unexpected = [...counts.keys()].filter((url) => !expected.includes(url));
  const problems = [
    missing.length ? `${missing.length} missing` : '',
    repeated.length ? `repeated: ${repeated.join(', ')}` : '',
    unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '',
  ].filter(Boolean);
  return problems.length ? `${channel}: ${problems.join('; ')}` : '';
}

describe('every alert channel on the stack, with two alerter replicas', () => {
  let stack: RunningStack | undefined;
  let api: StackApi;
  let brokers: string[];
  let scratch: string;
  let site: Awaited<ReturnType<typeof startFeedSite>>;
  let mail: Awaited<ReturnType<typeof startSmtpServer>>;
  let good: Awaited<ReturnType<typeof startReceiver>>;
  let flaky: Awaited<ReturnType<typeof startReceiver>>;
  let dead: Awaited<ReturnType<typeof startReceiver>>;
  let bus: KafkaBus | undefined;
  let dlqReader: ConsumerHandle | undefined;
  let stream: SseClient | undefined;
  const deadLetters: IncomingMessage[] = [];
  /** When each dead letter arrived, beside it: a letter is published at least once, like a push. */
  const deadLetterTimes: number[] = [];
  const secrets = { good: 'good-receiver-secret-0123456789', flaky: 'flaky-receiver-secret-0123456789', dead: 'dead-receiver-secret-0123456789' };

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    brokers = kafka.brokers;
    site = await startFeedSite();
    mail = await startSmtpServer();
    good = await startReceiver(secrets.good, () => 204);
    flaky = await startReceiver(secrets.flaky, (attempt) => (attempt <= FLAKY_FAILURES ? [500, 503, 500][attempt - 1] : 200));
    dead = await startReceiver(secrets.dead, () => 500);
    scratch = mkdtempSync(join(tmpdir(), 'stack-alerts-'));
    const sourcesFile = join(scratch, 'sources.json');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          { id: 'wire', name: 'Test Wire', organisation: 'UNODC', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${site.base}/feed.xml`, kind: 'feed' }] },
        ],
      }),
    );
    stack = await startStack({
      brokers,
      elasticsearchUrl: elasticsearch.url,
      replicas: { alerter: ALERTERS },
      env: {
        SOURCES_FILE: sourcesFile,
        ALLOW_PRIVATE_FEED_HOSTS: new URL(site.base).host,
        ALLOW_PRIVATE_WEBHOOK_HOSTS: '127.0.0.1',
        SMTP_URL: mail.url,
        ALERT_EMAIL_FROM: 'Monitor <alerts@monitor.test>',
        ALERT_DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        ALERT_RETRY_INITIAL_DELAY_MS: '50',
        ALERT_RETRY_MAX_DELAY_MS: '300',
        // The survivor looks for deliveries a dead replica left pending every second, not every minute.
        ALERT_SCHEDULER_INTERVAL_MS: '1000',
      },
    });
    api = new StackApi(stack.url('api'), stack.adminKey);
    bus = testBus(brokers, stack.topicPrefix);
    dlqReader = await bus.consume({
      topic: deadLetterTopic(BUS_TOPICS.alerts),
      group: 'stack-test-dlq-reader',
      handleBatch: async (batch) => {
        deadLetters.push(...batch);
        deadLetterTimes.push(...batch.map(() => Date.now()));
      },
    });
  }, 10 * 60_000);

  afterAll(async () => {
    stream?.close();
    await dlqReader?.stop();
    await bus?.close();
    await stack?.close();
    await Promise.all([site, good, flaky, dead].filter(Boolean).map(({ server }) => closeServer(server)));
    if (mail) await new Promise<void>((resolve) => mail.smtp.close(() => resolve()));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The alerter group on the broker: the partitions of news.classified.v1 each member holds, and all there are. */
  const alerterGroup = () => groupPartitions(brokers, stack!.topicPrefix, CONSUMER_GROUPS.alerter, BUS_TOPICS.classified);

  /** Classified articles one alerter replica has handled, from its own /metrics. */
  const handledBy = (replica: number): Promise<number> => metricValue(stack!.url('alerter', replica), 'monitor_events_processed_total', 'stage="alerter"');

  it('delivers each alert once on webhook, email, SSE and Atom across two alerter replicas, and after one is killed', async () => {
    try {
      await expectHealthy([...STACK_SERVICES.map((service) => stack!.url(service)), stack!.url('alerter', 1)]);
      // Both replicas joined the one group and each holds partitions before any article comes.
      const formed = await eventually(
        async () => {
          const group = await alerterGroup();
          return group.state === 'Stable' && group.partitions.length === ALERTERS && group.partitions.every((p) => p.length > 0) ? group : undefined;
        },
        'the two alerter replicas to share the partitions of news.classified.v1',
        60_000,
      );
      expect(formed.partitions.flat().sort()).toEqual(formed.all);

      const minted = await api.request('/admin/keys', { method: 'POST', key: stack!.adminKey, body: { name: 'stack alerts analyst' } });
      expect(minted.status).toBe(201);
      const key: string = minted.body.key;
      const subscribe = async (name: string, channels: object): Promise<string> => {
        const created = await api.request('/subscriptions', { method: 'POST', key, body: { name, topics: [TOPIC], channels, per: 'article' } });
        expect(created.status).toBe(201);
        return created.body.id;
      };
      const subscriptions = {
        main: await subscribe('Afghan opiates desk', { webhook: { url: good.url, secret: secrets.good }, email: { to: 'analyst@example.org' } }),
        retried: await subscribe('retried', { webhook: { url: flaky.url, secret: secrets.flaky } }),
        failing: await subscribe('failing', { webhook: { url: dead.url, secret: secrets.dead } }),
      };
      stream = await SseClient.connect(`${api.baseUrl}/alerts/stream`, { 'X-API-Key': key, 'Last-Event-ID': '0' });
      expect(stream.status).toBe(200);

      const sseAlerts = () => stream!.events.filter((event) => event.event === 'alert').map((event) => JSON.parse(event.data) as Alert);
      const deliveries = async (subscriptionId: string): Promise<DeliveryRecord[]> =>
        (await api.request(`/alerts/deliveries?subscriptionId=${subscriptionId}&limit=1000`, { key })).body;
      const atomLinks = async (subscriptionId: string): Promise<string[]> => {
        const response = await fetch(`${api.baseUrl}/subscriptions/${subscriptionId}/feed.atom`, { headers: { 'X-API-Key': key } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
        const feed = await new Parser<{ id: string }, { id: string }>({ customFields: { feed: ['id'], item: ['id'] } }).parseString(await response.text());
        expect(feed.id).toBe(`urn:drug-control-monitor:subscription:${subscriptionId}`);
        return feed.items.map((item) => item.link ?? '');
      };
      const emailReceipts = (): Receipt[] =>
        mail.inbox.map(({ mail: message, at }) => ({
          deliveryId: String(message.headers.get('x-monitor-delivery') ?? ''),
          url: /^Link: (\S+)$/m.exec(message.text ?? '')?.[1],
          at,
        }));
      const deadLetterUrl = (message: IncomingMessage) => (JSON.parse(message.value) as { message: { alert: Alert } }).message.alert.url;

      /**
       * Every channel's problems against the articles published so far ('' when every one arrived
       * once everywhere); `killedBy` once a replica has been killed (see unexplainedRepeats).
       */
      const channelProblems = async (expected: string[], killedBy?: number): Promise<string> => {
        const pushed = { main: dropRepeats(good.receipts()), retried: dropRepeats(flaky.receipts()), email: dropRepeats(emailReceipts()) };
        const letters = dropRepeats(deadLetters.map((message, i) => ({ deliveryId: message.key, url: deadLetterUrl(message), at: deadLetterTimes[i] })));
        const sse = sseAlerts();
        const sseOf = (subscriptionId: string) => sse.filter((alert) => alert.subscriptionId === subscriptionId).map((alert) => alert.url);
        const [mainAtom, retriedAtom, failingAtom, failed] = await Promise.all([
          atomLinks(subscriptions.main),
          atomLinks(subscriptions.retried),
          atomLinks(subscriptions.failing),
          deliveries(subscriptions.failing),
        ]);
        const failedIds = new Map(sse.filter((alert) => alert.subscriptionId === subscriptions.failing).map((alert) => [alert.id, alert.url]));
        return [
          onceEach('webhook (main)', tally(pushed.main.handled.map((receipt) => receipt.url)), expected),
          unexplainedRepeats('webhook (main)', pushed.main.repeats, killedBy),
          onceEach('webhook (retried)', tally(pushed.retried.handled.map((receipt) => receipt.url)), expected),
          unexplainedRepeats('webhook (retried)', pushed.retried.repeats, killedBy),
          onceEach('email', tally(pushed.email.handled.map((receipt) => receipt.url)), expected),
          unexplainedRepeats('email', pushed.email.repeats, killedBy),
          onceEach('SSE (main)', tally(sseOf(subscriptions.main)), expected),
          onceEach('SSE (retried)', tally(sseOf(subscriptions.retried)), expected),
          onceEach('SSE (failing)', tally(sseOf(subscriptions.failing)), expected),
          onceEach('Atom (main)', tally(mainAtom), expected),
          onceEach('Atom (retried)', tally(retriedAtom), expected),
          onceEach('Atom (failing)', tally(failingAtom), expected),
          onceEach('failed deliveries', tally(failed.filter((row) => row.status === 'failed').map((row) => failedIds.get(row.alertId))), expected),
          // A replica killed between publishing a letter and marking it sent leaves it to be sent again.
          onceEach('alerts.v1.dlq', tally(letters.handled.map((receipt) => receipt.url)), expected),
          unexplainedRepeats('alerts.v1.dlq', letters.repeats, killedBy),
        ]
          .filter(Boolean)
          .join('\n');
      };
      /** Waits for every article on every channel, gives a late repeat time to show, then asserts each arrived once. */
      const expectEachOnceEverywhere = async (expected: string[], timeoutMs: number, killedBy?: number) => {
        let last = '';
        await eventually(
          async () => (last = await channelProblems(expected, killedBy)) === '',
          `every alert on every channel`,
          timeoutMs,
        ).catch((error: Error) => {
          throw new Error(`${error.message}\n${last}`);
        });
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        expect(await channelProblems(expected, killedBy)).toBe('');
      };

      // Before the kill: both replicas match and deliver, and each alert arrives once everywhere.
      const published = site.add(0, BEFORE_KILL);
      expect((await api.poll('wire')).status).toBe(200);
      await expectEachOnceEverywhere(published, 60_000);
      const handledBeforeKill = await Promise.all(Array.from({ length: ALERTERS }, (_, replica) => handledBy(replica)));
      expect(handledBeforeKill.every((count) => count > 0)).toBe(true);
      expect(handledBeforeKill.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(BEFORE_KILL);

      // Mid-stream: more articles arrive, and the replica that is handling them is killed as its
      // first alert of them lands, with the rest of its work (retries included) still in hand.
      const killRound = site.add(BEFORE_KILL, KILL_ROUND);
      expect((await api.poll('wire')).status).toBe(200);
      await eventually(async () => good.accepted().some((body) => killRound.includes(body.alert.url ?? '')), 'the first alert of the next articles', 60_000);
      const { replica: busiest } = await eventually(
        async () => {
          const grown = await Promise.all(handledBeforeKill.map(async (before, replica) => (await handledBy(replica)) - before));
          const most = Math.max(...grown);
          return most > 0 ? { replica: grown.indexOf(most) } : undefined;
        },
        'a replica to have handled some of the next articles',
        10_000,
      );
      await stack!.stop('alerter', 'SIGKILL', busiest);
      // Requests it wrote just before it died may still be in the receivers' sockets for a moment.
      const killedBy = Date.now() + 1_000;
      const afterKill = site.add(BEFORE_KILL + KILL_ROUND, AFTER_KILL);
      expect((await api.poll('wire')).status).toBe(200);

      // The survivor takes the dead replica's partitions (once its session expires) and delivers the rest.
      const everything = [...published, ...killRound, ...afterKill];
      await expectEachOnceEverywhere(everything, 100_000, killedBy);
      const survivor = (busiest + 1) % ALERTERS;
      const takenOver = await eventually(
        async () => {
          const group = await alerterGroup();
          return group.state === 'Stable' && group.partitions.length === 1 ? group : undefined;
        },
        'the survivor alone in the group',
        60_000,
      );
      expect(takenOver.partitions[0].sort()).toEqual(takenOver.all);
      expect(await handledBy(survivor)).toBeGreaterThan(handledBeforeKill[survivor]);

      // What each channel received, in detail: signed webhooks, retries under one delivery id,
      // failures with their reason, in the delivery log and on alerts.v1.dlq.
      expect(good.calls.every((call) => call.signed && call.event === 'alert')).toBe(true);
      expect(good.accepted().every((body) => body.subscriptionId === subscriptions.main && body.alert.subscriptionId === subscriptions.main)).toBe(true);
      expect(good.calls.every((call) => call.deliveryId === JSON.parse(call.raw).id)).toBe(true);
      expect(flaky.calls.every((call) => call.signed && call.deliveryId === JSON.parse(call.raw).id)).toBe(true);
      // Each retried alert was refused three times before it was accepted, all under one delivery id.
      const refusalsBeforeAcceptance = flaky.accepted().map((body) => flaky.calls.filter((call) => call.deliveryId === body.id && call.status >= 500).length);
      expect(refusalsBeforeAcceptance).toEqual(Array(everything.length).fill(FLAKY_FAILURES));
      const mainRows = await deliveries(subscriptions.main);
      expect(mainRows.filter((row) => row.channel === 'webhook' && row.status === 'delivered')).toHaveLength(everything.length);
      expect(mainRows.filter((row) => row.channel === 'email' && row.status === 'delivered')).toHaveLength(everything.length);
      const retriedRows = await deliveries(subscriptions.retried);
      expect(retriedRows.filter((row) => row.status === 'delivered')).toHaveLength(everything.length);
      const failedRows = await deliveries(subscriptions.failing);
      expect(failedRows).toHaveLength(everything.length);
      for (const row of failedRows) {
        expect(row).toMatchObject({ channel: 'webhook', status: 'failed', attempts: MAX_ATTEMPTS });
        expect(row.lastError).toMatch(/HTTP 500/);
        expect(row.lastError).toMatch(new RegExp(`after ${MAX_ATTEMPTS} attempts`));
      }
      expect(dead.calls.every((call) => call.signed && call.status === 500)).toBe(true);
      expect(new Set(deadLetters.map((message) => message.key))).toEqual(new Set(failedRows.map((row) => row.alertId)));
      for (const message of deadLetters) expect(message.headers[HEADERS.deadLetterReason]).toMatch(/HTTP 500/);
      for (const { mail: message } of mail.inbox) {
        expect(message.to && !Array.isArray(message.to) ? message.to.value[0].address : undefined).toBe('analyst@example.org');
        expect(message.from?.value[0].address).toBe('alerts@monitor.test');
        expect(message.text).toContain('Source: Test Wire');
      }
      const repeats = { webhookMain: dropRepeats(good.receipts()).repeats.length, webhookRetried: dropRepeats(flaky.receipts()).repeats.length, email: dropRepeats(emailReceipts()).repeats.length };
      console.log(`repeats (same delivery id, dropped by the receiver): ${JSON.stringify(repeats)} of ${everything.length} alerts per channel`);
      const others = STACK_SERVICES.filter((service) => service !== 'alerter').map((service) => stack!.url(service));
      await expectHealthy([...others, stack!.url('alerter', survivor)]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  });
});
