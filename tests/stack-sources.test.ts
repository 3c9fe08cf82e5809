import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { StackApi } from './support/stack-checks';
import { RunningStack, startStack } from './support/stack-services';

// Sources in a stack of two collector replicas and an api, with nothing kept on a host: the
// replicas share the sources through their group on sources.v1 (each source polled by one of
// them), a replica killed with SIGKILL hands its sources to the other, a source added through the
// api reaches the collectors over Kafka, and the health the collectors write to Elasticsearch is
// what the api shows. Each replica has a DATA_DIR of its own and names itself in its User-Agent,
// so the feed site below can tell who polled what.
const SOURCE_IDS = Array.from({ length: 12 }, (_, i) => `loop-${i + 1}`);
const REPLICAS = [0, 1];
const agentOf = (replica: number) => `stack-sources-test replica-${replica}`;

interface FeedRequest {
  sourceId: string;
  replica: number;
  at: number;
}

/** A loopback site with one RSS feed per source; it records who asked for which feed, and when. */
class LoopbackFeeds {
  readonly requests: FeedRequest[] = [];
  private server!: Server;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const match = /^\/feeds\/([a-z0-9-]+)\.xml$/.exec(req.url ?? '');
      if (!match) return void res.writeHead(404).end();
      const replica = REPLICAS.find((r) => req.headers['user-agent'] === agentOf(r)) ?? -1;
      this.requests.push({ sourceId: match[1], replica, at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(this.baseUrl, match[1]));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  source(id: string) {
    return { id, name: `Loopback ${id}`, organisation: 'Loopback', language: 'en', pollIntervalMinutes: 1, candidates: [{ url: `${this.baseUrl}/feeds/${id}.xml`, kind: 'feed' }] };
  }

  /** Which replicas asked for each source's feed in [from, to). */
  pollersBetween(from: number, to = Infinity): Map<string, Set<number>> {
    const pollers = new Map<string, Set<number>>();
    for (const request of this.requests.filter((r) => r.at >= from && r.at < to)) {
      pollers.set(request.sourceId, (pollers.get(request.sourceId) ?? new Set()).add(request.replica));
    }
    return pollers;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function rss(baseUrl: string, sourceId: string): string {
  const link = `${baseUrl}/articles/${sourceId}/1`;
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${sourceId}</title><link>${baseUrl}/</link><description>Loopback feed</description>
<item><title>News of ${sourceId}</title><link>${link}</link><guid>${link}</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>
<description>Seizure of heroin reported by ${sourceId}.</description></item></channel></rss>`;
}

interface Ownership {
  partitions: number[];
  partitionCount: number;
  sources: string[];
}

describe('sources in the stack: shared by the collector replicas, moved when one dies', () => {
  const feeds = new LoopbackFeeds();
  let stack: RunningStack | undefined;
  let api: StackApi;
  let scratch: string;

  const owned = async (replica: number): Promise<Ownership> => {
    const response = await fetch(`${stack!.url('collector', replica)}/sources/owned`, { headers: { 'X-API-Key': stack!.adminKey } });
    if (response.status !== 200) throw new Error(`GET /sources/owned on replica ${replica} answered ${response.status}`);
    return (await response.json()) as Ownership;
  };

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    await feeds.start();
    scratch = mkdtempSync(join(tmpdir(), 'stack-sources-'));
    const sourcesFile = join(scratch, 'sources.json');
    writeFileSync(sourcesFile, JSON.stringify({ sources: SOURCE_IDS.map((id) => feeds.source(id)) }));
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elasticsearch.url,
      services: ['collector', 'api'],
      replicas: { collector: 2 },
      env: {
        SOURCES_FILE: sourcesFile,
        ALLOW_PRIVATE_FEED_HOSTS: new URL(feeds.baseUrl).host,
        POLLING: 'true',
        KAFKA_PARTITIONS: '6',
        // The broker notices a replica killed without a word after this long.
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      },
      replicaEnv: (service, replica, dataDir) => ({
        DATA_DIR: join(dataDir, `${service}-${replica}`),
        ...(service === 'collector' ? { FETCH_USER_AGENT: agentOf(replica) } : {}),
      }),
    });
    api = new StackApi(stack.url('api'), stack.adminKey);
  }, 10 * 60_000);

  afterAll(async () => {
    await stack?.close();
    await feeds.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('polls each source from exactly one replica, moves a killed replica’s sources to the other, and polls a source added through the api', async () => {
    try {
      // The group settles: the two replicas own disjoint shares that cover every source.
      const shares = await eventually(
        async () => {
          const [a, b] = await Promise.all(REPLICAS.map(owned));
          const all = [...a.sources, ...b.sources];
          const settled = a.sources.length > 0 && b.sources.length > 0 && all.length === SOURCE_IDS.length && new Set(all).size === SOURCE_IDS.length;
          return settled ? [a, b] : undefined;
        },
        'the collector replicas to share the sources',
        60_000,
      );
      console.log(`sources per replica: ${shares.map((s, r) => `replica ${r}: ${s.sources.length} (partitions ${s.partitions.join(',')} of ${s.partitionCount})`).join('; ')}`);

      // Over more than a poll interval (1 min), every source is polled, each by its owner only.
      const windowStart = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 70_000));
      const pollers = feeds.pollersBetween(windowStart);
      for (const id of SOURCE_IDS) {
        const owner = shares.findIndex((share) => share.sources.includes(id));
        expect({ id, pollers: [...(pollers.get(id) ?? [])] }).toEqual({ id, pollers: [owner] });
      }

      // Replica 1 dies without a word: its sources go to replica 0 and are polled there.
      const moved = shares[1].sources;
      const killedAt = Date.now();
      await stack!.stop('collector', 'SIGKILL', 1);
      await eventually(async () => ((await owned(0)).sources.length === SOURCE_IDS.length ? true : undefined), 'replica 0 to own every source', 60_000);
      const reassignedMs = Date.now() - killedAt;
      await eventually(
        async () => moved.every((id) => feeds.pollersBetween(killedAt).get(id)?.has(0)) || undefined,
        "the killed replica's sources to be polled by the other",
        120_000,
      );
      const firstPolls = moved.map((id) => Math.min(...feeds.requests.filter((r) => r.sourceId === id && r.replica === 0 && r.at >= killedAt).map((r) => r.at)));
      console.log(
        `moved ${moved.length} sources: reassigned after ${reassignedMs} ms, all polled by replica 0 within ${Math.max(...firstPolls) - killedAt} ms of the kill (poll interval 60 s)`,
      );

      // A source added through the api reaches the collector over Kafka and is polled at once.
      const added = feeds.source('loop-added');
      const addedAt = Date.now();
      const created = await api.request('/sources', { method: 'POST', key: stack!.adminKey, body: added });
      expect(created.status).toBe(201);
      await eventually(async () => feeds.pollersBetween(addedAt).get('loop-added')?.has(0) || undefined, 'the added source to be polled', 30_000);
      console.log(`the source added through the api was first polled ${Math.min(...feeds.requests.filter((r) => r.sourceId === 'loop-added').map((r) => r.at)) - addedAt} ms later`);

      // The api shows the health the collectors wrote to Elasticsearch, for every source.
      const listed = await eventually(
        async () => {
          const answer = await api.request('/sources');
          const healthy = answer.body?.filter?.((s: { health: { status: string } }) => s.health.status === 'healthy') ?? [];
          return healthy.length === SOURCE_IDS.length + 1 ? answer.body : undefined;
        },
        'every source to show as healthy on the api',
        30_000,
      );
      for (const source of listed as { id: string; health: { lastSuccessAt: string | null; activeUrl: string | null; itemsLastDay: number } }[]) {
        expect(source.health.lastSuccessAt).not.toBeNull();
        expect(source.health.activeUrl).toBe(`${feeds.baseUrl}/feeds/${source.id}.xml`);
        expect(source.health.itemsLastDay).toBe(1);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output()}`);
    }
  }, 8 * 60_000);
});
