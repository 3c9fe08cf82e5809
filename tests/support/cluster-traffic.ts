import type { startWebhookReceiver } from '@monitor/alerts/testing';
import { RawArticle } from '@monitor/contracts';
import { itemArticleId } from '@monitor/feeds';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SseClient } from './sse-client';
import { ArticleStream } from './stack-traffic';

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Loopback RSS feeds, one per source, whose items grow as the test goes: each item is an article
 * of the test's stream, so it is counted with the rest. A feed lists every item it ever had (well
 * under the parser's 500), so a collector that was away for a while still finds what it missed.
 */
export class GrowingFeeds {
  private readonly items = new Map<string, RawArticle[]>();
  /** The feed and the time each item was added to it, by article id. */
  private readonly added = new Map<string, string>();
  private server?: Server;
  private port = 0;

  constructor(
    private readonly stream: ArticleStream,
    readonly sourceIds: string[],
  ) {
    for (const id of sourceIds) this.items.set(id, []);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const sourceId = /^\/feeds\/([a-z0-9-]+)\.xml$/.exec(req.url ?? '')?.[1];
      const items = sourceId ? this.items.get(sourceId) : undefined;
      if (!items) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(this.rss(sourceId!, items));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** For ALLOW_PRIVATE_FEED_HOSTS. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The source as the sources file lists it: polled every minute, the least there is. */
  source(id: string) {
    return { id, name: `Cluster feed ${id}`, organisation: 'Loopback', language: 'en', pollIntervalMinutes: 1, candidates: [{ url: `http://${this.host}/feeds/${id}.xml`, kind: 'feed' }] };
  }

  /** Adds `count` articles of the stream to every feed. */
  grow(count: number): void {
    for (const [sourceId, items] of this.items) {
      for (const article of this.stream.take(count)) {
        // The collector names an item after its link; the stream's id must be that name to be counted.
        if (itemArticleId(sourceId, { link: article.url }) !== article.id) throw new Error(`the collector would not name ${article.url} ${article.id}`);
        items.push(article);
        this.added.set(article.id, `${sourceId} at ${new Date().toISOString()}`);
      }
    }
  }

  has(id: string): boolean {
    return this.added.has(id);
  }

  /** Which feed the item is on and since when (for a failure message). */
  origin(id: string): string | undefined {
    return this.added.get(id);
  }

  get size(): number {
    return this.added.size;
  }

  close(): Promise<void> {
    if (!this.server) return Promise.resolve();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }

  private rss(sourceId: string, items: RawArticle[]): string {
    return (
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${sourceId}</title><link>http://${this.host}/</link>` +
      items
        .map(
          (item) =>
            `<item><title>${xml(item.title)}</title><link>${xml(item.url)}</link><guid>${xml(item.url)}</guid>` +
            `<pubDate>${new Date(item.publishedAt ?? Date.now()).toUTCString()}</pubDate><description>${xml(item.content)}</description></item>`,
        )
        .join('') +
      '</channel></rss>'
    );
  }
}

type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

interface WebhookAlertBody {
  type: string;
  subscriptionId: string;
  alert: { articleId?: string };
}

/** What one webhook receiver got, as `subscriptionId articleId` pairs with the delivery ids (X-Monitor-Delivery) they came under. */
export class WebhookTally {
  constructor(private readonly receiver: WebhookReceiver) {}

  get url(): string {
    return this.receiver.url;
  }

  get requests(): number {
    return this.receiver.received.length;
  }

  /** Delivery ids per pair. */
  deliveries(): Map<string, string[]> {
    const byPair = new Map<string, string[]>();
    for (const { headers, body } of this.receiver.received) {
      const alert = body as WebhookAlertBody;
      if (alert.type !== 'alert') continue;
      const pair = `${alert.subscriptionId} ${alert.alert.articleId}`;
      byPair.set(pair, [...(byPair.get(pair) ?? []), String(headers['x-monitor-delivery'] ?? '')]);
    }
    return byPair;
  }

  pairs(): Set<string> {
    return new Set(this.deliveries().keys());
  }

  /**
   * Repeats (a pair sent again under the same delivery id, which a receiver drops), and the pairs
   * that came under more than one delivery id: a receiver could not tell those were one alert.
   */
  check(): { repeats: number; conflicting: string[]; unexpected: string[] } {
    const deliveries = this.deliveries();
    let repeats = 0;
    const conflicting: string[] = [];
    for (const [pair, ids] of deliveries) {
      repeats += ids.length - 1;
      if (new Set(ids).size > 1) conflicting.push(`${pair} under ${[...new Set(ids)].join(', ')}`);
    }
    return { repeats, conflicting, unexpected: [...deliveries.keys()] };
  }

  close(): Promise<void> {
    return this.receiver.close();
  }
}

/**
 * An analyst's SSE stream that, like EventSource, reconnects with the Last-Event-ID of the last
 * alert it got, here on whichever api replica it is told to move to.
 */
export class ResumingAlertStream {
  private readonly clients: SseClient[] = [];

  private constructor(private readonly key: string) {}

  /** From the start of the analyst's ledger (Last-Event-ID 0). */
  static async open(apiUrl: string, key: string): Promise<ResumingAlertStream> {
    const stream = new ResumingAlertStream(key);
    await stream.connect(apiUrl, '0');
    return stream;
  }

  /** Closes the current connection and resumes on `apiUrl` after the last alert received. */
  async moveTo(apiUrl: string): Promise<void> {
    const last = this.seqs().at(-1) ?? 0;
    this.clients.at(-1)?.close();
    await this.connect(apiUrl, String(last));
  }

  /** The seq (event id) of every alert received, over all connections, in order. */
  seqs(): number[] {
    return this.clients.flatMap((client) => client.events.filter((event) => event.event === 'alert').map((event) => Number(event.id)));
  }

  get segments(): number {
    return this.clients.length;
  }

  close(): void {
    for (const client of this.clients) client.close();
  }

  private async connect(apiUrl: string, lastEventId: string): Promise<void> {
    const client = await SseClient.connect(`${apiUrl}/alerts/stream`, { 'X-API-Key': this.key, 'Last-Event-ID': lastEventId });
    if (client.status !== 200) throw new Error(`GET /alerts/stream on ${apiUrl} answered ${client.status}`);
    this.clients.push(client);
  }
}
