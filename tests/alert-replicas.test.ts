import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorProcess, eventually, startMonitor } from './support/monitor-process';
import { SseClient } from './support/sse-client';

// Two monitor processes on one data directory, as two alerter replicas: both consume the classified
// articles from the shared file (each takes a batch it finds uncommitted, so both may take the same
// one when they race), and the ledger lets only one of them record, and so send, each alert; the
// other process streams those alerts and shows their deliveries. Only the first one is asked to
// poll its sources. (The race itself is forced in libs/alerts' two-process ledger test.)
const ITEMS = [
  { link: '/n/1.html', title: 'Customs officers seize heroin smuggled from Afghanistan', text: 'Officers seized 90 kg of Afghan heroin and opium on the northern route in a joint operation.' },
  { link: '/n/2.html', title: 'Opium poppy cultivation in Afghanistan rises again', text: 'A survey of opium poppy cultivation in Afghanistan shows a rise; heroin trafficking follows.' },
  { link: '/n/3.html', title: 'Joint operation stops heroin convoy at the border', text: 'Anti-drug agencies intercepted heroin and opium from Afghanistan at the border in a joint operation.' },
];

describe('two monitor processes sharing one data directory', () => {
  const adminKey = 'test-admin-key-0123456789abcdef';
  let feedServer: Server;
  let hookServer: Server;
  const hooks: Array<{ headers: IncomingHttpHeaders; raw: string }> = [];
  let dataDir: string;
  let first: MonitorProcess | undefined;
  let second: MonitorProcess | undefined;

  beforeAll(async () => {
    let base = '';
    feedServer = createServer((req, res) => {
      if (req.url !== '/feed.xml') return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>${base}</link>` +
          ITEMS.map((i) => `<item><title>${i.title}</title><link>${base}${i.link}</link><description>${i.text}</description></item>`).join('') +
          '</channel></rss>',
      );
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    hookServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));

    dataDir = mkdtempSync(join(tmpdir(), 'monitor-replicas-'));
    const sourcesFile = join(dataDir, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      JSON.stringify({ sources: [{ id: 'feed', name: 'Feed', organisation: 'UNODC', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${base}/feed.xml`, kind: 'feed' }] }] }),
    );
    const env = {
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      ADMIN_API_KEY: adminKey,
      ALLOW_PRIVATE_FEED_HOSTS: new URL(base).host,
      ALLOW_PRIVATE_WEBHOOK_HOSTS: '127.0.0.1',
      POLLING: 'false',
    };
    first = await startMonitor(env);
    second = await startMonitor(env);
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    for (const server of [feedServer, hookServer]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends each alert once, and the other process streams it over SSE', async () => {
    const call = async (monitor: MonitorProcess, path: string, key: string, body?: object) => {
      const response = await fetch(`${monitor.baseUrl}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: JSON.parse(await response.text()) };
    };
    const analyst = (await call(first!, '/admin/keys', adminKey, { name: 'analyst' })).body.key as string;
    const secret = 'replica-test-secret-0123456789';
    const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    const created = await call(first!, '/subscriptions', analyst, { topics: ['afghanistan-opiates'], per: 'article', channels: { webhook: { url, secret } } });
    expect(created.status).toBe(201);
    const stream = await SseClient.connect(`${second!.baseUrl}/alerts/stream`, { 'X-API-Key': analyst });

    expect((await call(first!, '/sources/feed/poll', adminKey, {})).status).toBe(200);
    await eventually(async () => hooks.length >= ITEMS.length, 'a webhook per article');
    await eventually(async () => stream.events.filter((e) => e.event === 'alert').length >= ITEMS.length, 'the alerts over SSE from the other process');
    // Both processes have had every batch by now; give a late duplicate the time to show.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    stream.close();

    const ids = hooks.map((h) => JSON.parse(h.raw).alert.articleId as string);
    expect(ids).toHaveLength(ITEMS.length);
    expect(new Set(ids).size).toBe(ITEMS.length);
    for (const hook of hooks) {
      expect(hook.headers['x-monitor-signature']).toBe('sha256=' + createHmac('sha256', secret).update(hook.raw).digest('hex'));
    }
    const sse = stream.events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data).articleId);
    expect(sse.sort()).toEqual([...ids].sort());
    // Both processes answer the same delivery log.
    for (const monitor of [first!, second!]) {
      const rows = (await call(monitor, '/alerts/deliveries', analyst)).body as Array<{ status: string; attempts: number }>;
      expect(rows).toHaveLength(ITEMS.length);
      expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    }
  });
});
