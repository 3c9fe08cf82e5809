// `npm run bench:alerts`: how fast 10,000 subscriptions are matched (the indexed matcher beside a
// brute-force baseline that tries every subscription on every article), and the latency from a
// classified event on the bus to its webhook arriving at a receiver on loopback, at a steady
// 100 articles/s, through the same parts the alerter stage runs (SQLite bus, ledger with outbox,
// dispatcher, webhook channel). Options: --subscriptions N --seconds S --rate R --seed K
// --webhook-share F (of subscriptions with a webhook) --only matching|latency.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BUS_TOPICS } from '@monitor/contracts';
import { SqliteBus, WalCheckpointer } from '@monitor/messaging-sqlite';
import { consumeEvents, publishEvents } from '@monitor/messaging';
import { analyzeDocument, parseQuery } from '@monitor/query';
import { AlertStreamHub, SubscriptionMatcher, WebhookUrlPolicy, createAlerter, subscriptionMatches } from '@monitor/alerts';
import { seededRandom } from '@monitor/contracts';
import { syntheticArticle, syntheticSubscriptionInput, syntheticSubscriptions } from '@monitor/alerts/testing';
import { SqliteAlertLedger, SqliteDeliveryLog, SqliteDigestPeriods, SqliteSpikeBaselines, SqliteSubscriptionStore } from '@monitor/state-sqlite';
import { PublishedArticle, absoluteNow } from './steady-publisher';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const SUBSCRIPTIONS = option('subscriptions', 10_000);
const SECONDS = option('seconds', 20);
const RATE = option('rate', 100);
const SEED = option('seed', 1);
// About two webhook deliveries per article at the default mix (some 130 matches an article).
const WEBHOOK_SHARE = option('webhook-share', 0.015);

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function benchMatching(): void {
  const subscriptions = syntheticSubscriptions(SUBSCRIPTIONS, SEED);
  const matcher = new SubscriptionMatcher(subscriptions);
  const rnd = seededRandom(SEED + 1);
  const articles = Array.from({ length: 3000 }, () => syntheticArticle(rnd));
  for (const a of articles.slice(0, 300)) matcher.match(a);

  let start = process.hrtime.bigint();
  let indexedMatches = 0;
  for (const a of articles) indexedMatches += matcher.match(a).length;
  const indexedRate = articles.length / seconds(start);
  // A third of the articles carry no topic and cost nothing; the figure without them is the honest floor.
  const topical = articles.filter((a) => a.topics.length > 0);
  start = process.hrtime.bigint();
  for (const a of topical) matcher.match(a);
  const topicalRate = topical.length / seconds(start);

  // The baseline gets every advantage but the index: queries compiled once, each article analysed once.
  const queries = new Map(subscriptions.map((s) => [s.id, s.query ? parseQuery(s.query) : null]));
  const sample = articles.slice(0, 300);
  start = process.hrtime.bigint();
  let bruteMatches = 0;
  for (const a of sample) {
    const analysed = analyzeDocument([a.title, a.text]);
    for (const s of subscriptions) if (subscriptionMatches(s, a, analysed, queries.get(s.id))) bruteMatches += 1;
  }
  const bruteRate = sample.length / seconds(start);
  const indexedOnSample = sample.reduce((n, a) => n + matcher.match(a).length, 0);

  console.log(`matching, ${SUBSCRIPTIONS} subscriptions (${[...queries.values()].filter(Boolean).length} with queries), ${articles.length} articles:`);
  console.log(`  indexed matcher   ${indexedRate.toFixed(0).padStart(7)} articles/s   (${(indexedMatches / articles.length).toFixed(1)} matches an article)`);
  console.log(`  indexed, topical  ${topicalRate.toFixed(0).padStart(7)} articles/s   (only the ${topical.length} articles that carry a topic)`);
  console.log(`  brute force       ${bruteRate.toFixed(0).padStart(7)} articles/s   (every subscription tried on every article)`);
  console.log(`  same answers on the brute-force sample: ${indexedOnSample === bruteMatches ? 'yes' : `NO (${indexedOnSample} vs ${bruteMatches})`}`);
}

async function benchLatency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const db = new Database(join(dir, 'monitor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // As the monitor runs its file (openStateDatabase, checkpointInBackground in @monitor/runtime and @monitor/alerter-stage).
  db.pragma(`wal_autocheckpoint = ${WalCheckpointer.BACKSTOP_PAGES}`);
  const checkpointer = WalCheckpointer.start(join(dir, 'monitor.db'));

  // Publish times come from the publisher thread; arrivals are matched to them at the end.
  const publishedAt = new Map<string, number>();
  const measured = new Set<string>();
  const arrivals: Array<{ articleId: string; at: number }> = [];
  let received = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = absoluteNow();
      received += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alert: { articleId: string } };
      arrivals.push({ articleId: body.alert.articleId, at });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const hookUrl = `http://127.0.0.1:${port}/hook`;

  const store = new SqliteSubscriptionStore(db);
  const rnd = seededRandom(SEED);
  // One transaction for the lot: each create writes its row synchronously before its promise settles.
  const creating: Promise<unknown>[] = [];
  db.transaction(() => {
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      creating.push(store.create(`k${i % 50}`, syntheticSubscriptionInput(rnd, rnd() < WEBHOOK_SHARE ? hookUrl : undefined)));
    }
  })();
  await Promise.all(creating);
  const bus = new SqliteBus({ db });
  await bus.ensureTopics([{ topic: BUS_TOPICS.classified, partitions: 3, replicationFactor: 1 }, { topic: BUS_TOPICS.alerts, partitions: 3, replicationFactor: 1 }]);
  const ledger = new SqliteAlertLedger(db);
  const log = new SqliteDeliveryLog(db);
  const hub = new AlertStreamHub({ ledger });
  // Built as the monitor's stages build it: AlertRecording in @monitor/alerter-stage records and
  // publishes to alerts.v1, AlertSending in @monitor/delivery-stage sends from there.
  const { service, dispatcher, deliverAlerts } = createAlerter({
    subscriptions: store,
    ledger,
    deliveries: log,
    spikeBaselines: new SqliteSpikeBaselines(db),
    digestPeriods: new SqliteDigestPeriods(db),
    webhook: { policy: new WebhookUrlPolicy([`127.0.0.1:${port}`]) },
    alsoDeliverTo: [hub],
  });
  let alerts = 0;
  const consumer = await consumeEvents(bus, {
    topic: BUS_TOPICS.classified,
    group: 'alerter',
    maxBatchSize: 200,
    handle: async (events) => {
      const fresh = await service.handleClassified(events.map((e) => e.event));
      alerts += fresh.length;
      await publishEvents(bus, BUS_TOPICS.alerts, fresh, undefined, { keyOf: (alert) => alert.subscriptionId });
    },
  });
  const delivery = await consumeEvents(bus, {
    topic: BUS_TOPICS.alerts,
    group: 'alert-delivery',
    maxBatchSize: 100,
    handle: async (events) => void (await deliverAlerts(events.map((e) => e.event))),
  });

  const debug = process.env.BENCH_DEBUG
    ? setInterval(async () => {
        const lag = (await bus.lag('alerter', BUS_TOPICS.classified)).reduce((n, l) => n + l.lag, 0);
        console.log(`t=${((performance.now() - started) / 1000).toFixed(1)}s lag=${lag} alerts=${alerts} received=${received} elu=${performance.eventLoopUtilization().utilization.toFixed(2)}`);
      }, 1000)
    : undefined;
  const total = SECONDS * RATE;
  const warmup = Math.min(2 * RATE, Math.floor(total / 5));
  const started = performance.now();
  const publisher = new Worker(`require('@swc-node/register'); require(${JSON.stringify(join(__dirname, 'steady-publisher.ts'))});`, {
    eval: true,
    workerData: { steadyPublisher: { dbFile: join(dir, 'monitor.db'), rate: RATE, total, seed: SEED + 2 } },
  });
  const sentFor = await new Promise<number>((resolve, reject) => {
    let count = 0;
    publisher.on('message', (message: { published?: PublishedArticle[]; done?: number; error?: string }) => {
      for (const article of message.published ?? []) {
        publishedAt.set(article.id, article.at);
        if (count++ >= warmup) measured.add(article.id);
      }
      if (message.done !== undefined) resolve(message.done);
      if (message.error) reject(new Error(message.error));
    });
    publisher.on('error', reject);
  });
  await publisher.terminate();
  if (debug) clearInterval(debug);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await bus.lag('alerter', BUS_TOPICS.classified)).some((l) => l.lag > 0)) await new Promise((r) => setTimeout(r, 50));
  while (Date.now() < deadline && (await bus.lag('alert-delivery', BUS_TOPICS.alerts)).some((l) => l.lag > 0)) await new Promise((r) => setTimeout(r, 50));
  await dispatcher.idle();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const latencies = arrivals.filter((a) => measured.has(a.articleId)).map((a) => a.at - publishedAt.get(a.articleId)!);

  const delivered = (await log.list({ status: 'delivered', limit: 1000 })).length;
  const failed = (await log.list({ status: 'failed', limit: 1000 })).length;
  latencies.sort((a, b) => a - b);
  console.log(`\nclassified event -> webhook delivered, ${RATE} articles/s asked, ${(total / sentFor).toFixed(0)} articles/s achieved (${total} in ${sentFor.toFixed(1)} s; first ${warmup} not measured):`);
  console.log(`  ${alerts} alerts recorded (${(alerts / sentFor).toFixed(0)}/s), ${received} webhooks received (${delivered >= 1000 ? '1000+' : delivered} delivered, ${failed} failed in the log)`);
  if (total / sentFor < RATE * 0.95) console.log(`  (the publisher thread could not keep up with ${RATE} articles/s: the machine is CPU-bound, see the load average above)`);
  if (latencies.length) {
    console.log(
      `  latency over ${latencies.length} webhooks: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
  }

  await consumer.stop();
  await delivery.stop();
  hub.close();
  await dispatcher.stop();
  await bus.close();
  await checkpointer.stop();
  db.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version}\n`);
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== 'latency') benchMatching();
  if (only !== 'matching') await benchLatency();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
