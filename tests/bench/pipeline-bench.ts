// `npm run bench:pipeline`: N articles of real size (about 2,000 characters: the project's sample
// announcements, paragraphs repeated, with new ids and URLs) pushed through the production path
// news.raw.v1 (Kafka) → classifier → news.classified.v1 → indexer → Elasticsearch, with the
// classifier and the indexer running as their own service processes (the same entry points as
// `npm run start:stack`). One run prints:
//   - articles/s end to end: N / (last article searchable − first article published);
//   - Elasticsearch's own bulk-ingest rate for the same documents (plain `_bulk` of 1,000 into
//     an index with the same template), measured first, in the same run: the ceiling;
//   - their ratio;
//   - p50 and p99 latency from publish to searchable, for the burst and for a paced stream at
//     half the measured rate (the latency an article sees when the pipeline is not backlogged).
// Kafka and Elasticsearch at KAFKA_BROKERS and ELASTICSEARCH_URL (`npm run infra:up` starts them).
// Options: --articles N (default 20000) --paced-seconds S (default 10) --keep (leave topics and
// indices for inspection).
import { Client } from '@elastic/elasticsearch';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadDefaultClassifier } from '@monitor/classifier';
import { BUS_TOPICS, RawArticle, StoredArticle, articleIdFromUrl } from '@monitor/contracts';
import { loadSampleAnnouncements } from '@monitor/demo';
import { KafkaBus } from '@monitor/messaging-kafka';
import { publishEvents } from '@monitor/messaging';
import { ArticleDocument, ElasticArticleStore } from '@monitor/search-elastic';
import { classifyRawArticle } from '@monitor/classifier-stage';

const ROOT = join(__dirname, '..', '..');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const PARTITIONS = 3;
const CEILING_BULK = 1_000;
const PUBLISH_BATCH = 500;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ARTICLES = option('articles', 20_000);
const PACED_SECONDS = option('paced-seconds', 10);
const KEEP = process.argv.includes('--keep');
const run = randomBytes(3).toString('hex');
const now = () => performance.now();
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** The samples, paragraphs repeated to about 2,000 characters, each copy with its own URL and id. */
function realSizeArticles(count: number, label: (i: number) => string): RawArticle[] {
  const samples = loadSampleAnnouncements({ now: new Date() });
  return Array.from({ length: count }, (_, i) => {
    const sample = samples[i % samples.length];
    const paragraphs = [...sample.paragraphs];
    for (let p = 0; paragraphs.join('\n\n').length < 1_900; p++) paragraphs.push(sample.paragraphs[p % sample.paragraphs.length]);
    const url = `https://bench.example.org/${run}/${label(i)}/${i}/${sample.id}.html`;
    return {
      schema: 'news.raw.v1',
      id: articleIdFromUrl(url),
      sourceId: label(i),
      sourceName: 'Pipeline bench',
      url,
      title: sample.title,
      content: paragraphs.map((text) => `<p>${text}</p>`).join('\n'),
      contentType: 'html',
      text: paragraphs.join('\n\n'),
      declaredLanguage: sample.language,
      publishedAt: sample.publishedAt,
      fetchedAt: new Date().toISOString(),
    };
  });
}

/** Gives the bench the exact documents the indexer writes (the store's own `toDocument`). */
class DocumentShaper extends ElasticArticleStore {
  shape(article: StoredArticle): ArticleDocument {
    return this.toDocument(article);
  }
}

async function measureCeiling(raw: RawArticle[]): Promise<{ rate: number; seconds: number; bytes: number }> {
  const classifier = loadDefaultClassifier();
  const alias = `bench-ceiling-${run}`;
  const store = new DocumentShaper({ node: ELASTICSEARCH_URL, alias });
  await store.init();
  const bodies: string[] = [];
  let bytes = 0;
  for (let i = 0; i < raw.length; i += CEILING_BULK) {
    const lines: string[] = [];
    for (const item of raw.slice(i, i + CEILING_BULK)) {
      const { schema: _schema, ...article } = classifyRawArticle(classifier, item);
      lines.push(JSON.stringify({ index: { _index: alias, _id: article.id } }), JSON.stringify(store.shape(article)));
    }
    const body = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(body);
    bodies.push(body);
  }
  const client = new Client({ node: ELASTICSEARCH_URL, requestTimeout: 120_000 });
  try {
    const started = now();
    for (const body of bodies) {
      const response = await client.bulk({ body } as never);
      if (response.errors) throw new Error('the ceiling bulk had item errors');
    }
    // Searchable, as for the pipeline: the documents count once a refresh has made them visible.
    await client.indices.refresh({ index: alias });
    const seconds = (now() - started) / 1000;
    return { rate: raw.length / seconds, seconds, bytes };
  } finally {
    if (!KEEP) {
      await client.indices.delete({ index: store.index }, { ignore: [404] });
      await client.indices.deleteIndexTemplate({ name: store.templateName }, { ignore: [404] });
    }
    await client.close();
    await store.close();
  }
}

interface ServiceProcess {
  child: ChildProcess;
  log: () => string;
}

async function startService(name: 'classifier' | 'indexer', env: Record<string, string>, port: number): Promise<ServiceProcess> {
  // BENCH_PROFILE_DIR: a V8 CPU profile of each service, written when it stops (for tuning).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, '-r', 'reflect-metadata', '-r', '@swc-node/register', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
    const up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (up) return { child, log: () => log };
    if (Date.now() > deadline) throw new Error(`${name} did not become healthy:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Publishes batches (each batch's articles carry the batch's label as their source id) and watches
 * Elasticsearch count them per label: a document's latency is the time from its batch's publish to
 * the first count that includes it (poll resolution: about 100 ms).
 */
class VisibilityWatch {
  private readonly published = new Map<string, { at: number; size: number }>();
  private readonly seen = new Map<string, number>();
  readonly latencies: number[] = [];
  lastVisibleAt = 0;
  visible = 0;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly client: Client,
    private readonly alias: string,
  ) {}

  recordPublish(label: string, size: number, at: number): void {
    this.published.set(label, { at, size });
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.poll().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    const response = await this.client.search({
      index: this.alias,
      size: 0,
      aggs: { labels: { terms: { field: 'sourceId', size: 10_000 } } },
    });
    const at = now();
    const buckets = (response.aggregations?.labels as { buckets: { key: string; doc_count: number }[] }).buckets;
    for (const { key, doc_count: count } of buckets) {
      const before = this.seen.get(key) ?? 0;
      const batch = this.published.get(key);
      if (!batch || count <= before) continue;
      for (let i = before; i < count; i++) this.latencies.push(at - batch.at);
      this.seen.set(key, count);
      this.visible += count - before;
      this.lastVisibleAt = at;
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for `check`; gives up when `progress` has not moved for a minute (a stuck pipeline). */
/**
 * CPU seconds used so far by the bench, its services, and the Kafka and Elasticsearch servers on
 * this machine (Linux /proc; empty elsewhere): where the time per article goes.
 */
function cpuSeconds(services: Record<string, number | undefined>): Map<string, number> {
  const used = new Map<string, number>();
  const own = process.cpuUsage();
  used.set('bench (publisher)', (own.user + own.system) / 1e6);
  const ticks = 100; // USER_HZ on Linux
  const read = (pid: string): number | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      return undefined;
    }
  };
  for (const [name, pid] of Object.entries(services)) {
    const seconds = pid === undefined ? undefined : read(String(pid));
    if (seconds !== undefined) used.set(name, seconds);
  }
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return used;
  }
  for (const pid of pids) {
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const server = command.includes('org.elasticsearch.') || command.includes('org.opensearch.') ? 'elasticsearch' : command.includes('kafka.Kafka') ? 'kafka' : undefined;
    const seconds = server ? read(pid) : undefined;
    if (server && seconds !== undefined) used.set(server, (used.get(server) ?? 0) + seconds);
  }
  return used;
}

async function waitFor(check: () => boolean, progress: () => number, what: string): Promise<void> {
  let last = progress();
  let movedAt = Date.now();
  while (!check()) {
    if (progress() !== last) {
      last = progress();
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > 60_000) throw new Error(`no progress for 60 s waiting for ${what} (${last} searchable)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  process.stdout.write(`pipeline bench: ${ARTICLES} articles, ${cpus().length} CPU(s), load ${load()}\n`);
  const burst = realSizeArticles(ARTICLES, (i) => `bench-burst-${Math.floor(i / PUBLISH_BATCH)}`);
  const averageChars = burst.reduce((sum, a) => sum + a.content.replace(/<[^>]+>/g, '').length, 0) / burst.length;
  process.stdout.write(`articles: ${Math.round(averageChars)} characters of text on average\n`);

  const ceiling = await measureCeiling(burst);
  process.stdout.write(
    `Elasticsearch _bulk ceiling: ${Math.round(ceiling.rate)} articles/s (${ARTICLES} in ${ceiling.seconds.toFixed(1)} s, bulks of ${CEILING_BULK}, ` +
      `${(ceiling.bytes / ceiling.seconds / 1e6).toFixed(1)} MB/s)\n`,
  );

  const prefix = `bench-${run}.`;
  const alias = `bench-pipeline-${run}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-bench-'));
  const env = {
    MONITOR_MODE: 'stack',
    KAFKA_BROKERS: BROKERS.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: String(PARTITIONS),
    ELASTICSEARCH_URL,
    ELASTICSEARCH_INDEX: alias,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const services: ServiceProcess[] = [];
  const bus = new KafkaBus({ brokers: BROKERS, topicPrefix: prefix, clientId: 'pipeline-bench', logLevel: logLevel.ERROR });
  const client = new Client({ node: ELASTICSEARCH_URL, requestTimeout: 30_000 });
  try {
    services.push(await startService('classifier', env, await freePort()), await startService('indexer', env, await freePort()));
    const watch = new VisibilityWatch(client, alias);
    watch.start();

    // Burst: everything published as fast as the producer goes; the rate is the pipeline's.
    const servicePids = { classifier: services[0].child.pid, indexer: services[1].child.pid };
    const cpuBefore = cpuSeconds(servicePids);
    const burstStarted = now();
    for (let i = 0; i < burst.length; i += PUBLISH_BATCH) {
      const batch = burst.slice(i, i + PUBLISH_BATCH);
      watch.recordPublish(batch[0].sourceId, batch.length, now());
      await publishEvents(bus, BUS_TOPICS.raw, batch);
    }
    const publishedIn = (now() - burstStarted) / 1000;
    // When the classifier had caught up: says which stage held the burst back.
    let classifiedIn = 0;
    const classifierWatch = (async () => {
      while (watch.visible < burst.length) {
        const lag = (await bus.lag('classifier', BUS_TOPICS.raw)).reduce((sum, p) => sum + p.lag, 0);
        if (lag === 0 && !classifiedIn) classifiedIn = (now() - burstStarted) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await waitFor(() => watch.visible >= burst.length, () => watch.visible, 'the burst to be searchable');
    await classifierWatch;
    const burstSeconds = (watch.lastVisibleAt - burstStarted) / 1000;
    const rate = burst.length / burstSeconds;
    const burstLatency = [...watch.latencies].sort((a, b) => a - b);
    const loadAfterBurst = load();
    const cpuAfter = cpuSeconds(servicePids);
    const cpuPerArticle = [...cpuAfter]
      .map(([name, seconds]) => `${name} ${(((seconds - (cpuBefore.get(name) ?? 0)) * 1000) / burst.length).toFixed(2)}`)
      .join(', ');

    // Paced: batches of 50 at half the burst rate, so the latency is the pipeline's, not a queue's.
    const pacedRate = Math.max(50, Math.round(rate / 2));
    const paced = realSizeArticles(Math.round(pacedRate * PACED_SECONDS), (i) => `bench-paced-${Math.floor(i / 50)}`);
    const latencyMark = watch.latencies.length;
    const pacedStarted = now();
    for (let i = 0; i < paced.length; i += 50) {
      const due = pacedStarted + (i / pacedRate) * 1000;
      if (due > now()) await new Promise((resolve) => setTimeout(resolve, due - now()));
      const batch = paced.slice(i, i + 50);
      watch.recordPublish(batch[0].sourceId, batch.length, now());
      await publishEvents(bus, BUS_TOPICS.raw, batch);
    }
    await waitFor(() => watch.visible >= burst.length + paced.length, () => watch.visible, 'the paced stream to be searchable');
    await watch.stop();
    const pacedLatency = watch.latencies.slice(latencyMark).sort((a, b) => a - b);

    const ms = (value: number) => `${Math.round(value)} ms`;
    process.stdout.write(
      [
        `burst published to Kafka in ${publishedIn.toFixed(1)} s; classified in ${classifiedIn.toFixed(1)} s`,
        `end to end: ${Math.round(rate)} articles/s (${ARTICLES} searchable ${burstSeconds.toFixed(1)} s after the first was published)`,
        `ratio to the Elasticsearch ceiling: ${(rate / ceiling.rate).toFixed(2)}`,
        `CPU ms per article during the burst (machine servers included, if any share it): ${cpuPerArticle}`,
        `latency publish → searchable, burst: p50 ${ms(percentile(burstLatency, 50))}, p99 ${ms(percentile(burstLatency, 99))} (queueing behind the burst included)`,
        `latency publish → searchable, paced at ${pacedRate} articles/s for ${PACED_SECONDS} s: p50 ${ms(percentile(pacedLatency, 50))}, p99 ${ms(percentile(pacedLatency, 99))}`,
        `load average after the burst: ${loadAfterBurst}; now: ${load()}`,
        '',
      ].join('\n'),
    );
  } catch (error) {
    for (const service of services) process.stderr.write(service.log());
    throw error;
  } finally {
    for (const service of services) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => new Promise((resolve) => (service.child.exitCode !== null ? resolve(null) : service.child.once('exit', resolve)))));
    await bus.close();
    if (!KEEP) await removeRun(client, prefix, alias);
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function removeRun(client: Client, prefix: string, alias: string): Promise<void> {
  await client.indices.delete({ index: `${alias}-v1` }, { ignore: [404] });
  await client.indices.deleteIndexTemplate({ name: `${alias}-template` }, { ignore: [404] });
  const admin = new Kafka({ brokers: BROKERS, clientId: 'pipeline-bench-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((group) => group.includes(`.${prefix}`));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
