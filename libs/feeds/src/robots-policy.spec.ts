import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { MonitorError } from '@monitor/contracts';
import { DEFAULT_USER_AGENT, FeedFetcher } from './feed-fetcher';
import { RobotsDisallowedError, RobotsUnreachableError } from './feed-errors';
import { MAX_CRAWL_DELAY_MS, RobotsPolicy, robotsProductToken } from './robots-policy';

const HOUR = 60 * 60 * 1000;

describe('RobotsPolicy over real HTTP on loopback', () => {
  let server: Server;
  let base: string;
  let robots: (req: IncomingMessage, res: ServerResponse) => void;
  let asked: Array<{ url: string; userAgent?: string }>;
  let fetcher: FeedFetcher;
  let clock: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push({ url: req.url ?? '', userAgent: req.headers['user-agent'] });
      if (req.url === '/robots.txt') robots(req, res);
      else res.writeHead(200).end('a page');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    asked = [];
    clock = Date.parse('2026-03-01T12:00:00Z');
    fetcher = new FeedFetcher({ allowPrivateHosts: true, timeoutMs: 3000, maxRedirects: 2 });
  });
  afterEach(() => fetcher.close());

  const policy = (over: Partial<ConstructorParameters<typeof RobotsPolicy>[0]> = {}) =>
    new RobotsPolicy({ fetcher, userAgent: DEFAULT_USER_AGENT, now: () => clock, ...over });
  const serve = (text: string) => {
    robots = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
  };
  const failure = async (p: Promise<unknown>): Promise<MonitorError> => {
    try {
      await p;
    } catch (error) {
      expect(error).toBeInstanceOf(MonitorError);
      return error as MonitorError;
    }
    throw new Error('expected the check to refuse');
  };

  it('matches the group of the collector\'s product token (case-insensitively) over "*", longest rule first', async () => {
    serve(
      [
        'User-agent: *',
        'Disallow: /',
        '',
        '# our own group: the news, but not its drafts; an allowed page inside them',
        'User-agent: Drug-Control-Monitor',
        'Disallow: /news/drafts/',
        'Allow: /news/drafts/published.html',
        'Disallow: /*.pdf$',
        'Crawl-delay: 2',
      ].join('\n'),
    );
    const rules = policy();
    expect(rules.productToken).toBe('drug-control-monitor');
    await expect(rules.check(`${base}/news/2026/heroin.html`)).resolves.toEqual({ crawlDelayMs: 2000 });
    await expect(rules.check(`${base}/news/drafts/published.html`)).resolves.toEqual({ crawlDelayMs: 2000 });
    await expect(rules.check(`${base}/news/report.pdf?page=2`)).resolves.toEqual({ crawlDelayMs: 2000 });
    const refused = await failure(rules.check(`${base}/news/drafts/tomorrow.html`));
    expect(refused).toBeInstanceOf(RobotsDisallowedError);
    expect(refused).toMatchObject({ code: 'ROBOTS_DISALLOWED', retriable: false, url: `${base}/news/drafts/tomorrow.html` });
    expect(refused.message).toBe(`not fetched: ${base}/robots.txt disallows ${base}/news/drafts/tomorrow.html for drug-control-monitor (line 6)`);
    expect((await failure(rules.check(`${base}/annual/report.pdf`))).code).toBe('ROBOTS_DISALLOWED');
    // One read for all of that, sent with the collector's own User-Agent.
    expect(asked).toEqual([{ url: '/robots.txt', userAgent: DEFAULT_USER_AGENT }]);

    // Another crawler's name falls to "*", which disallows everything.
    const other = policy({ userAgent: 'OtherBot/2.0 (+https://other.example)' });
    expect((await failure(other.check(`${base}/news/2026/heroin.html`))).code).toBe('ROBOTS_DISALLOWED');
  });

  it('caps a Crawl-delay so that one site cannot hold a poll for long', async () => {
    serve('User-agent: *\nCrawl-delay: 86400\n');
    await expect(policy().check(`${base}/x`)).resolves.toEqual({ crawlDelayMs: MAX_CRAWL_DELAY_MS });
    serve('User-agent: *\nCrawl-delay: soon\nDisallow:\n');
    await expect(policy().check(`${base}/x`)).resolves.toEqual({});
  });

  it('reads robots.txt once per origin for a day (concurrent checks share the read), then again', async () => {
    serve('User-agent: *\nDisallow: /private/\n');
    const rules = policy();
    await Promise.all([rules.check(`${base}/a`), rules.check(`${base}/b`), rules.check(`${base}/c`)]);
    expect(asked.map((a) => a.url)).toEqual(['/robots.txt']);
    clock += 23 * HOUR;
    serve('User-agent: *\nDisallow: /\n');
    await expect(rules.check(`${base}/a`)).resolves.toEqual({});
    clock += 2 * HOUR;
    expect((await failure(rules.check(`${base}/a`))).code).toBe('ROBOTS_DISALLOWED');
    expect(asked.map((a) => a.url)).toEqual(['/robots.txt', '/robots.txt']);
    // Another origin (here: the same host by name) has its own robots.txt.
    const byName = base.replace('127.0.0.1', 'localhost');
    expect((await failure(rules.check(`${byName}/a`))).code).toBe('ROBOTS_DISALLOWED');
    expect(asked).toHaveLength(3);
  });

  it('treats a 4xx (none for us), or more redirects than followed, as allowing everything (RFC 9309 2.3.1)', async () => {
    for (const status of [404, 401, 403, 410]) {
      robots = (_req, res) => res.writeHead(status).end('no');
      await expect(policy().check(`${base}/news/`)).resolves.toEqual({});
    }
    robots = (_req, res) => res.writeHead(302, { location: '/robots.txt' }).end();
    await expect(policy().check(`${base}/news/`)).resolves.toEqual({});
  });

  it('treats a 5xx or 429 as disallowing everything for a while, then asks again', async () => {
    robots = (_req, res) => res.writeHead(500).end('broken');
    const rules = policy({ unreachableTtlMs: 10 * 60_000 });
    const refused = await failure(rules.check(`${base}/news/`));
    expect(refused).toBeInstanceOf(RobotsUnreachableError);
    expect(refused).toMatchObject({ code: 'ROBOTS_UNREACHABLE', retriable: true, url: `${base}/news/` });
    expect(refused.message).toMatch(new RegExp(`^not fetched: ${base}/news/: ${base}/robots.txt could not be read \\(HTTP 500\\); RFC 9309`));
    expect(refused.message).toContain('next try after 2026-03-01T12:10:00.000Z');
    // Every page of the site, without asking again until the time is up.
    expect((await failure(rules.check(`${base}/other`))).code).toBe('ROBOTS_UNREACHABLE');
    expect(asked).toHaveLength(1);
    serve('User-agent: *\nDisallow:\n');
    clock += 10 * 60_000;
    await expect(rules.check(`${base}/news/`)).resolves.toEqual({});
    expect(asked).toHaveLength(2);

    // A 429 with Retry-After keeps the site closed for as long as it asked.
    robots = (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end();
    const limited = policy();
    expect((await failure(limited.check(`${base}/news/`))).message).toContain('(HTTP 429)');
    serve('User-agent: *\nDisallow:\n');
    clock += 30 * 60_000;
    expect((await failure(limited.check(`${base}/news/`))).code).toBe('ROBOTS_UNREACHABLE');
    clock += 30 * 60_000;
    await expect(limited.check(`${base}/news/`)).resolves.toEqual({});
  });

  it('keeps using the last copy it read while robots.txt cannot be read (RFC 9309 2.4)', async () => {
    serve('User-agent: *\nDisallow: /private/\n');
    const rules = policy();
    await rules.check(`${base}/news/`);
    robots = (_req, res) => res.writeHead(503).end();
    clock += 25 * HOUR;
    await expect(rules.check(`${base}/news/`)).resolves.toEqual({});
    expect((await failure(rules.check(`${base}/private/x`))).code).toBe('ROBOTS_DISALLOWED');
    expect(asked.map((a) => a.url)).toEqual(['/robots.txt', '/robots.txt']);
  });

  it('passes on the fetcher\'s own error when the site does not answer at all, or may not be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const down = await failure(policy().check(`${deadBase}/news/`));
    expect(down).toMatchObject({ code: 'FETCH_NETWORK', retriable: true });
    expect(down.message).toContain(`${deadBase}/robots.txt`);

    const strict = new FeedFetcher({ timeoutMs: 3000 });
    try {
      const refused = await failure(new RobotsPolicy({ fetcher: strict, userAgent: DEFAULT_USER_AGENT }).check(`${base}/news/`));
      expect(refused.code).toBe('FETCH_ADDRESS_REFUSED');
    } finally {
      await strict.close();
    }
  });

  it('leaves what is not an http(s) URL to the fetcher, asking no robots.txt for it', async () => {
    await expect(policy().check('mailto:desk@example.org')).resolves.toEqual({});
    await expect(policy().check('not a url')).resolves.toEqual({});
    expect(asked).toEqual([]);
  });

  it('forgets the least recently read origins beyond its limit, and reads them again when needed', async () => {
    serve('User-agent: *\nDisallow:\n');
    const rules = policy({ maxOrigins: 1 });
    const byName = base.replace('127.0.0.1', 'localhost');
    await rules.check(`${base}/a`);
    await rules.check(`${byName}/a`);
    await rules.check(`${byName}/b`);
    expect(asked).toHaveLength(2);
    await rules.check(`${base}/b`);
    expect(asked).toHaveLength(3);
  });

  it('asks through the schedule it is given (the per-host politeness queue)', async () => {
    serve('User-agent: *\nDisallow:\n');
    const scheduled: string[] = [];
    const rules = policy({
      schedule: (url, task) => {
        scheduled.push(url);
        return task();
      },
    });
    await rules.check(`${base}/news/`);
    expect(scheduled).toEqual([`${base}/robots.txt`]);
  });

  it('reads only the first 500 KiB of a huge robots.txt', async () => {
    const filler = '# filler line of a very long robots.txt\n'.repeat(Math.ceil((600 * 1024) / 40));
    serve(`User-agent: *\nDisallow: /early/\n${filler}Disallow: /late/\n`);
    const rules = policy();
    expect((await failure(rules.check(`${base}/early/x`))).code).toBe('ROBOTS_DISALLOWED');
    await expect(rules.check(`${base}/late/x`)).resolves.toEqual({});
  });
});

describe('robotsProductToken', () => {
  it('is the leading name of a User-Agent', () => {
    expect(robotsProductToken(DEFAULT_USER_AGENT)).toBe('drug-control-monitor');
    expect(robotsProductToken('  Monitor_Bot (contact: ops@example.org)')).toBe('Monitor_Bot');
    expect(robotsProductToken('Mozilla/5.0 (compatible)')).toBe('Mozilla');
    expect(robotsProductToken('0day')).toBe('*');
  });
});
