import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { FeedFetcher } from './feed-fetcher';
import { FetchError, FetchRateLimitedError } from './feed-errors';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('FeedFetcher against a real HTTP server on loopback', () => {
  let server: Server;
  let base: string;
  let port: number;
  let handler: Handler;
  let fetcher: FeedFetcher;
  const seen: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    fetcher = new FeedFetcher({ allowPrivateHosts: [`127.0.0.1:${port}`], timeoutMs: 1500, maxBytes: 64 * 1024, maxRedirects: 3 });
  });
  afterEach(() => fetcher.close());

  it('sends a User-Agent naming the project and returns validators; a conditional GET gets 304 as not-modified', async () => {
    handler = (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Mon, 03 Nov 2025 10:00:00 GMT' });
      res.end('<rss version="2.0"><channel><title>Ok</title></channel></rss>');
    };
    const first = await fetcher.fetch(`${base}/feed`);
    expect(first.status).toBe('ok');
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Mon, 03 Nov 2025 10:00:00 GMT');
    expect(seen[0].headers['user-agent']).toMatch(/drug-control-monitor/);

    const second = await fetcher.fetch(`${base}/feed`, { etag: first.etag, lastModified: first.lastModified });
    expect(second.status).toBe('not-modified');
    expect(seen[1].headers['if-modified-since']).toBe('Mon, 03 Nov 2025 10:00:00 GMT');
  });

  it('decodes a windows-1251 body by the HTTP charset and a gzip-compressed one', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=windows-1251', 'content-encoding': 'gzip' });
      res.end(gzipSync(iconv.encode('<rss version="2.0"><channel><title>Наркотики</title></channel></rss>', 'windows-1251')));
    };
    const result = await fetcher.fetch(`${base}/ru`);
    expect(result.status === 'ok' && result.text).toContain('Наркотики');
  });

  it('turns 429 and 503 with Retry-After into a retriable rate-limit error carrying retryAfterMs', async () => {
    handler = (req, res) => {
      res.writeHead(req.url === '/busy' ? 503 : 429, { 'retry-after': '120' }).end();
    };
    const error = await fetcher.fetch(`${base}/limited`).catch((e) => e);
    expect(error).toBeInstanceOf(FetchRateLimitedError);
    expect(error.code).toBe('FETCH_RATE_LIMITED');
    expect(error.retriable).toBe(true);
    expect(error.retryAfterMs).toBe(120_000);
    expect((await fetcher.fetch(`${base}/busy`).catch((e) => e)).code).toBe('FETCH_RATE_LIMITED');
  });

  it('reports other statuses with the code FETCH_HTTP_STATUS, 404 not retriable, 500 retriable', async () => {
    handler = (req, res) => res.writeHead(req.url === '/gone' ? 404 : 500).end();
    const notFound = await fetcher.fetch(`${base}/gone`).catch((e) => e);
    expect(notFound).toMatchObject({ code: 'FETCH_HTTP_STATUS', retriable: false, status: 404 });
    expect(await fetcher.fetch(`${base}/broken`).catch((e) => e)).toMatchObject({ code: 'FETCH_HTTP_STATUS', retriable: true });
  });

  it('follows redirects up to the limit and stops a redirect loop', async () => {
    handler = (req, res) => {
      if (req.url === '/moved') res.writeHead(301, { location: '/final' }).end();
      else if (req.url === '/final') res.writeHead(200, { 'content-type': 'text/plain' }).end('here');
      else res.writeHead(302, { location: req.url === '/loop-a' ? '/loop-b' : '/loop-a' }).end();
    };
    const moved = await fetcher.fetch(`${base}/moved`);
    expect(moved.status === 'ok' && moved.finalUrl).toBe(`${base}/final`);
    const loop = await fetcher.fetch(`${base}/loop-a`).catch((e) => e);
    expect(loop).toBeInstanceOf(FetchError);
    expect(loop.code).toBe('FETCH_TOO_MANY_REDIRECTS');
  });

  it('aborts a body over the size limit, declared or streamed', async () => {
    handler = (req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(1024 * 1024) });
        res.end(Buffer.alloc(1024 * 1024, 'a'));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(16 * 1024, 'b');
      for (let i = 0; i < 10; i++) res.write(chunk);
      res.end();
    };
    expect(await fetcher.fetch(`${base}/declared`).catch((e) => e)).toMatchObject({ code: 'FETCH_TOO_LARGE', retriable: false });
    expect(await fetcher.fetch(`${base}/streamed`).catch((e) => e)).toMatchObject({ code: 'FETCH_TOO_LARGE' });
  });

  it('cuts off a slow drip at the total deadline', async () => {
    let timer: NodeJS.Timeout | undefined;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      // A byte every 200 ms never trips a per-read timeout, only the total deadline.
      timer = setInterval(() => res.write('<'), 200);
      res.on('close', () => clearInterval(timer));
    };
    const error = await fetcher.fetch(`${base}/drip`).catch((e) => e);
    clearInterval(timer);
    expect(error).toMatchObject({ code: 'FETCH_TIMEOUT', retriable: true });
  });

  it('refuses loopback addresses unless allowed, by IP literal and by a name resolving to one', async () => {
    handler = (_req, res) => res.writeHead(200).end('secret');
    const strict = new FeedFetcher({ timeoutMs: 1500 });
    try {
      const literal = await strict.fetch(`${base}/admin`).catch((e) => e);
      expect(literal).toMatchObject({ code: 'FETCH_ADDRESS_REFUSED', retriable: false });
      const named = await strict.fetch(`http://localhost:${port}/admin`).catch((e) => e);
      expect(named).toMatchObject({ code: 'FETCH_ADDRESS_REFUSED' });
      expect(seen).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('checks the address at connect time, so a rebinding name is refused, and re-checks each redirect hop', async () => {
    // The "public" name resolves to loopback when the connection is made (DNS rebinding).
    const rebinding = new FeedFetcher({
      timeoutMs: 1500,
      allowPrivateHosts: [`127.0.0.1:${port}`],
      lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
        options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as never,
    });
    try {
      expect(await rebinding.fetch(`http://news.example.org:${port}/`).catch((e) => e)).toMatchObject({ code: 'FETCH_ADDRESS_REFUSED' });
      handler = (_req, res) => res.writeHead(302, { location: `http://10.0.0.1:${port}/internal` }).end();
      // The first hop is allowed (127.0.0.1:port), the redirect to a private address is not.
      expect(await rebinding.fetch(`${base}/go`).catch((e) => e)).toMatchObject({ code: 'FETCH_ADDRESS_REFUSED' });
    } finally {
      await rebinding.close();
    }
  });

  it('reports a name that does not resolve with the resolver message', async () => {
    const offline = new FeedFetcher({
      lookup: ((host: string, _o: unknown, callback: (e: Error) => void) =>
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }))) as never,
    });
    try {
      const error = await offline.fetch('https://www.sectsco.org/news/').catch((e) => e);
      expect(error).toMatchObject({ code: 'FETCH_NETWORK', retriable: true });
      expect(error.message).toContain('getaddrinfo ENOTFOUND www.sectsco.org');
    } finally {
      await offline.close();
    }
  });
});
