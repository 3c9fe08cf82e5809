import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ValidationError, isTopicId, type TopicId } from '@monitor/contracts';
import { demoSources, type DemoSourceConfig } from './demo-sources';
import { DEMO_SITE, articlePath, siteEntry, type DemoLanguage, type DemoSiteEntry, type DemoSourceId } from './demo-site-map';
import { renderAtom, renderJsonFeed, renderRss, type FeedChannel } from './feed-documents';
import { encodeDocument } from './markup-encoding';
import { loadSampleAnnouncements, type PublishedAnnouncement } from './sample-announcements';
import { renderIndexPage, renderNotFoundPage, renderScoArticle, renderScoListing, renderScoMaintenance, renderStoryPage } from './site-pages';

export type DemoBreakage = 'http-500' | 'malformed' | 'timeout';

export interface DemoFeedServerOptions {
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  /** Loopback only: the demo never listens on a public interface. */
  host?: '127.0.0.1';
  /** The moment the sample dates are shifted to (default: the real now). The server clock runs on from it. */
  now?: Date;
}

export interface NewDemoItem {
  title: string;
  /** Paragraphs separated by blank lines (or give `paragraphs`). */
  text?: string;
  paragraphs?: string[];
  /** Default: the source's language. */
  language?: DemoLanguage;
  topics?: TopicId[];
  /** Default: the server clock's now. */
  publishedAt?: Date | string;
  /** Default: derived from the title; the slug of UNODC/INCB page URLs. */
  id?: string;
  notes?: string;
}

export interface DemoRequestRecord {
  at: string;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The demo source whose feed, listing or article page was asked for. */
  sourceId?: DemoSourceId;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  userAgent?: string;
  /** The status sent; null while the response is pending (a 'timeout' breakage never answers). */
  status: number | null;
}

export interface DemoFeedServer {
  /** e.g. http://127.0.0.1:43123 (no trailing slash). */
  baseUrl: string;
  /** Source configs for every demo feed and listing, in the sources-file shape. */
  sources: DemoSourceConfig[];
  /** What is published now, newest first (one source, or all). */
  items(sourceId?: DemoSourceId): PublishedAnnouncement[];
  /** Publishes a new article live: it heads the source's feed or listing and gets its own page. */
  addItem(sourceId: DemoSourceId, item: NewDemoItem): PublishedAnnouncement;
  /** Makes the source's feed or listing answer badly until repaired (article pages stay up). */
  breakSource(sourceId: DemoSourceId, how: DemoBreakage): void;
  repairSource(sourceId: DemoSourceId): void;
  /** Every request received, oldest first; the array is live. */
  requests: DemoRequestRecord[];
  close(): Promise<void>;
}

interface SourceState {
  entry: DemoSiteEntry;
  items: PublishedAnnouncement[];
  /** When the content last changed; Last-Modified answers with it. */
  changedAt: number;
  breakage?: DemoBreakage;
}

const CONTENT_TYPES: Record<DemoSiteEntry['format'], string> = {
  'sco-listing': 'text/html',
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  'json-feed': 'application/feed+json',
};

/**
 * A loopback web site serving the project's sample announcements the way the real sources do:
 * SCO-style HTML listings and article pages in three languages, UN News-style RSS (UTF-8,
 * windows-1251 and GBK), a UNODC-style Atom feed and an INCB-style JSON Feed, with ETag and
 * Last-Modified validators. Tests and `npm run demo` point the pipeline at it instead of the
 * internet; `breakSource` and `addItem` let them change it while it runs.
 */
export async function startDemoFeedServer(options: DemoFeedServerOptions = {}): Promise<DemoFeedServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new ValidationError(`the demo feed server listens on 127.0.0.1 only, not ${String(host)}`, 'host');
  const startedAt = Date.now();
  const clockBase = options.now?.getTime() ?? startedAt;
  const clock = (): number => clockBase + (Date.now() - startedAt);

  const requests: DemoRequestRecord[] = [];
  const states = new Map<DemoSourceId, SourceState>();
  const pages = new Map<string, { state: SourceState; item: PublishedAnnouncement }>();
  const hanging = new Set<ServerResponse>();
  let baseUrl = '';

  const server = createServer((req, res) => {
    const record: DemoRequestRecord = {
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: null,
      ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
      ...(req.headers['if-modified-since'] ? { ifModifiedSince: String(req.headers['if-modified-since']) } : {}),
      ...(req.headers['user-agent'] ? { userAgent: String(req.headers['user-agent']) } : {}),
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    res.on('close', () => hanging.delete(res));
    try {
      route(req, res, record);
    } catch (error) {
      send(res, req, 500, 'text/plain; charset=utf-8', Buffer.from(`demo feed server error: ${(error as Error).message}\n`));
    }
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;

  // Whole minutes: dates in the feeds read like an editor's, not like a clock reading.
  const samples = loadSampleAnnouncements({ now: new Date(Math.floor(clockBase / 60_000) * 60_000) });
  for (const entry of DEMO_SITE) {
    const items = samples
      .filter((sample) => sample.source === entry.id)
      .map((sample) => ({ ...sample, url: `${baseUrl}${articlePath(entry, { number: sample.number, slug: sample.id, publishedAt: sample.publishedAt })}` }))
      .sort(newestFirst);
    const state: SourceState = { entry, items, changedAt: Math.max(...items.map((item) => Date.parse(item.publishedAt))) };
    states.set(entry.id, state);
    for (const item of items) pages.set(new URL(item.url).pathname, { state, item });
  }
  let nextNumber = Math.max(...samples.map((sample) => sample.number)) + 1;

  function route(req: IncomingMessage, res: ServerResponse, record: DemoRequestRecord): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, req, 405, 'text/plain; charset=utf-8', Buffer.from('method not allowed\n'));
    }
    const path = new URL(req.url ?? '/', baseUrl).pathname;
    if (path === '/robots.txt') {
      return send(res, req, 200, 'text/plain; charset=utf-8', Buffer.from('User-agent: *\nDisallow: /private/\nAllow: /\n'));
    }
    if (path === '/') {
      const links = DEMO_SITE.map((entry) => ({ name: entry.name, url: `${baseUrl}${entry.path}`, format: entry.format }));
      return send(res, req, 200, 'text/html; charset=utf-8', Buffer.from(renderIndexPage(links)));
    }
    const feedState = [...states.values()].find((state) => state.entry.path === path || (state.entry.format === 'sco-listing' && `${path}/` === state.entry.path));
    if (feedState) {
      record.sourceId = feedState.entry.id;
      return serveSource(req, res, feedState);
    }
    const page = pages.get(path);
    if (page) {
      record.sourceId = page.state.entry.id;
      const { entry } = page.state;
      const html =
        entry.format === 'sco-listing'
          ? renderScoArticle(entry.language, page.item, page.state.items)
          : renderStoryPage(entry, page.item);
      return send(res, req, 200, 'text/html; charset=utf-8', Buffer.from(html), { lastModified: Date.parse(page.item.publishedAt) });
    }
    return send(res, req, 404, 'text/html; charset=utf-8', Buffer.from(renderNotFoundPage(path)));
  }

  function serveSource(req: IncomingMessage, res: ServerResponse, state: SourceState): void {
    const { entry } = state;
    const contentType = `${CONTENT_TYPES[entry.format]}; charset=${entry.charset}`;
    switch (state.breakage) {
      case 'http-500':
        return send(res, req, 500, 'text/html; charset=utf-8', Buffer.from('<!DOCTYPE html><title>500</title><h1>Internal Server Error</h1>\n'));
      case 'timeout':
        // Never answer: the reader's own timeout has to fire. close() ends the socket.
        hanging.add(res);
        return;
      case 'malformed':
        return send(res, req, 200, contentType, encodeDocument(malformedDocument(entry), entry.charset));
      default: {
        const body = encodeDocument(renderSource(state), entry.charset);
        return send(res, req, 200, contentType, body, { lastModified: state.changedAt, conditional: true });
      }
    }
  }

  function renderSource(state: SourceState): string {
    const { entry, items } = state;
    if (entry.format === 'sco-listing') return renderScoListing(entry.language, items);
    const channel: FeedChannel = {
      title: entry.name,
      description: `Sample ${entry.organisation} announcements written for the drug-control monitor demo`,
      homeUrl: `${baseUrl}/`,
      feedUrl: `${baseUrl}${entry.path}`,
      language: entry.language,
      charset: entry.charset,
      updated: new Date(state.changedAt).toISOString(),
      author: entry.organisation,
    };
    if (entry.format === 'rss') return renderRss(channel, items);
    if (entry.format === 'atom') return renderAtom(channel, items);
    return renderJsonFeed(channel, items);
  }

  function send(
    res: ServerResponse,
    req: IncomingMessage,
    status: number,
    contentType: string,
    body: Buffer,
    validators: { lastModified?: number; conditional?: boolean } = {},
  ): void {
    res.setHeader('Cache-Control', 'no-cache');
    if (validators.lastModified !== undefined) {
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      const lastModified = new Date(Math.floor(validators.lastModified / 1000) * 1000);
      res.setHeader('ETag', etag);
      res.setHeader('Last-Modified', lastModified.toUTCString());
      if (status === 200 && validators.conditional && notModified(req, etag, lastModified)) {
        res.writeHead(304);
        res.end();
        return;
      }
    }
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    baseUrl,
    sources: demoSources(baseUrl),
    requests,
    items(sourceId?: DemoSourceId): PublishedAnnouncement[] {
      const chosen = sourceId ? [stateOf(sourceId)] : [...states.values()];
      return chosen.flatMap((state) => state.items.map(copyItem)).sort(newestFirst);
    },
    addItem(sourceId: DemoSourceId, input: NewDemoItem): PublishedAnnouncement {
      const state = stateOf(sourceId);
      const paragraphs = (input.paragraphs ?? (input.text ?? '').split(/\n\s*\n/)).map((p) => p.trim()).filter(Boolean);
      if (!input.title?.trim()) throw new ValidationError('a new demo item needs a title', 'title');
      if (paragraphs.length === 0) throw new ValidationError('a new demo item needs text or paragraphs', 'text');
      const topics = input.topics ?? [];
      const badTopic = topics.find((topic) => !isTopicId(topic));
      if (badTopic) throw new ValidationError(`'${badTopic}' is not a topic id`, 'topics');
      const publishedAt = new Date(input.publishedAt ?? clock());
      if (Number.isNaN(publishedAt.getTime())) throw new ValidationError('publishedAt is not a date', 'publishedAt');
      const number = nextNumber++;
      const id = input.id ?? `${sourceId}-live-${number}`;
      const item: PublishedAnnouncement = {
        id,
        number,
        source: sourceId,
        language: input.language ?? state.entry.language,
        title: input.title.trim(),
        publishedAt: publishedAt.toISOString(),
        topics: [...topics],
        notes: input.notes ?? 'added at run time',
        paragraphs,
        text: paragraphs.join('\n\n'),
        summary: paragraphs[0],
        url: '',
      };
      item.url = `${baseUrl}${articlePath(state.entry, { number, slug: id.replace(/[^a-z0-9-]+/gi, '-').toLowerCase(), publishedAt: item.publishedAt })}`;
      const path = new URL(item.url).pathname;
      if (pages.has(path)) throw new ValidationError(`an item already lives at ${path}`, 'id');
      state.items = [item, ...state.items].sort(newestFirst);
      state.changedAt = Math.max(state.changedAt + 1000, clock(), publishedAt.getTime());
      pages.set(path, { state, item });
      return copyItem(item);
    },
    breakSource(sourceId: DemoSourceId, how: DemoBreakage): void {
      if (!['http-500', 'malformed', 'timeout'].includes(how)) throw new ValidationError(`unknown breakage '${how}'`, 'how');
      stateOf(sourceId).breakage = how;
    },
    repairSource(sourceId: DemoSourceId): void {
      stateOf(sourceId).breakage = undefined;
    },
    async close(): Promise<void> {
      for (const res of hanging) res.destroy();
      hanging.clear();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };

  function stateOf(sourceId: DemoSourceId): SourceState {
    const state = states.get(siteEntry(sourceId).id);
    if (!state) throw new RangeError(`unknown demo source '${sourceId}'`);
    return state;
  }
}

function notModified(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  // RFC 9110: when If-None-Match is present, If-Modified-Since is ignored.
  if (ifNoneMatch) {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag);
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && lastModified.getTime() <= since;
}

function malformedDocument(entry: DemoSiteEntry): string {
  switch (entry.format) {
    case 'sco-listing':
      return renderScoMaintenance(entry.language);
    case 'json-feed':
      return '{"version": "https://jsonfeed.org/version/1.1", "title": "INCB news", "items": [{"id": "1", "title": "Cut off';
    default:
      // A feed cut off mid-item, as a proxy timeout or a full disk leaves it: not well-formed XML.
      return `<?xml version="1.0" encoding="${entry.charset}"?>\n<rss version="2.0"><channel><title>Feed</title><item><title>Cut off &amp; <b>unclosed</title><description>`;
  }
}

function newestFirst(a: { publishedAt: string }, b: { publishedAt: string }): number {
  return Date.parse(b.publishedAt) - Date.parse(a.publishedAt);
}

function copyItem(item: PublishedAnnouncement): PublishedAnnouncement {
  return { ...item, topics: [...item.topics], paragraphs: [...item.paragraphs] };
}
