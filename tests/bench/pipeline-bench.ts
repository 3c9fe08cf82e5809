// `npm run bench:pipeline`: N articles of real size (about 2,000 characters: the project's sample
// announcements, paragraphs repeated, with new ids and URLs) pushed through the production path
// news.raw.v1 (Kafka) → classifier → news.classified.v1 → indexer → Elasticsearch, with the
// classifier and the indexer running as their own service processes (the same entry points as
// `npm run start:stack`). One run prints:
//   - articles/s end to end: N / (last article searchable − first article published);
//   - Elasticsearch's own bulk-ingest rate for the same documents (plain `_bulk` of 1,000 into
//     an index with the same template), measured first, in the same run: the ceiling;
//   - their ratio (the end-to-end ratio);
//   - CPU per article of each process during the burst, and of the project's processes together
//     (publisher, classifier, indexer) as a multiple of Elasticsearch's;
//   - p50 and p99 latency from publish to searchable, for the burst and for a paced stream at
//     half the measured rate (the latency an article sees when the pipeline is not backlogged).
// Kafka and Elasticsearch at KAFKA_BROKERS and ELASTICSEARCH_URL (`npm run infra:up` starts them).
// Options: --articles N (default 20000) --paced-seconds S (default 10) --keep (leave topics and
// indices for inspection). BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each service there;
// for the publisher's, run this file under `node --cpu-prof` as well.
// The CPU figures read Linux /proc: Elasticsearch and Kafka are the processes listening on the
// ports this bench uses, so other instances on a shared machine do not count; a machine under other
// load still inflates every figure, so compare runs made under the same load.
import { Client } from '@elastic/elasticsearch';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { freePort } from '../infra-servers';
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
/** The processes running this repository's code, as cpuSeconds names them. */
const PROJECT_PROCESSES = ['bench (publisher)', 'classifier', 'indexer'];

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
    const up = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.status === 200, () => false);
    if (up) return { child, log: () => log };
    if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${log}`);
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

/** CPU seconds a process has used (Linux /proc), or undefined when it cannot be read. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ on Linux
  } catch {
    return undefined;
  }
}

/**
 * The process listening on a local TCP port (Linux /proc): the Elasticsearch and the Kafka this
 * bench talks to, not the other instances that tests may be running on the same machine.
 */
function pidListeningOn(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let rows: string[] = [];
    try {
      rows = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const row of rows) {
      const columns = row.trim().split(/\s+/);
      if (columns[1]?.endsWith(`:${hexPort}`) && columns[3] === '0A') inodes.add(columns[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(pid);
    }
  }
  return undefined;
}

/** CPU seconds used so far by each named process that can be read: where the time per article goes. */
function cpuSeconds(pids: Record<string, number | undefined>): Map<string, number> {
  const used = new Map<string, number>();
  const own = process.cpuUsage();
  used.set('bench (publisher)', (own.user + own.system) / 1e6);
  for (const [name, pid] of Object.entries(pids)) {
    const seconds = pid === undefined ? undefined : processCpuSeconds(pid);
    if (seconds !== undefined) used.set(name, seconds);
  }
  return used;
}

/** Waits for `check`; gives up when `progress` has not moved for a minute (a stuck pipeline). */
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
    const servicePids = {
      classifier: services[0].child.pid,
      indexer: services[1].child.pid,
      elasticsearch: pidListeningOn(Number(new URL(ELASTICSEARCH_URL).port || 9200)),
      kafka: pidListeningOn(Number(BROKERS[0].split(':').pop())),
    };
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
    const cpuMs = new Map([...cpuAfter].map(([name, seconds]) => [name, ((seconds - (cpuBefore.get(name) ?? 0)) * 1000) / burst.length]));
    const cpuPerArticle = [...cpuMs].map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ');
    // The project's own processes (what this repository can make cheaper) against Elasticsearch's
    // work on the same articles: the target is at most half.
    const projectMs = PROJECT_PROCESSES.reduce((sum, name) => sum + (cpuMs.get(name) ?? 0), 0);
    const elasticMs = cpuMs.get('elasticsearch');

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
        `end-to-end ratio to the Elasticsearch ceiling: ${(rate / ceiling.rate).toFixed(2)}`,
        `CPU ms per article during the burst (the servers this bench uses, when they run on this machine): ${cpuPerArticle}`,
        `project processes (${PROJECT_PROCESSES.join(' + ')}): ${projectMs.toFixed(2)} ms CPU per article` +
          (elasticMs ? `, ${(projectMs / elasticMs).toFixed(2)}× Elasticsearch's ${elasticMs.toFixed(2)} ms` : ' (no Elasticsearch process on this machine to compare with)'),
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
