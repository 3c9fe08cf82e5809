import Database from 'better-sqlite3';
import type { DeliveryRecord } from '@monitor/alerts';
import { simpleParser, ParsedMail } from 'mailparser';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { SMTPServer } from 'smtp-server';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { MonitorProcess, eventually, startMonitor } from './support/monitor-process';
import { SseClient } from './support/sse-client';

// Every alert channel end to end through a real monitor process in embedded mode: a feed server,
// webhook receivers, an SMTP server, an SSE client and a feed reader, all real and on loopback.
// The headline carries markup, as hostile or clumsy feeds do (entity-encoded twice, so it survives
// as text): every channel that renders HTML must escape it.
const HOSTILE_TITLE = 'Border guards seize <script>alert(1)</script> 400 kg of Afghan heroin';
const ITEM = {
  link: '/news/2026/heroin-seizure.html',
  description:
    '<p>Customs and drug-control agencies of three SCO member states intercepted a shipment of heroin trafficked from Afghanistan ' +
    'along the northern route. The joint anti-drug operation targeted opium and heroin smuggling networks.</p>',
};

const SECOND_ITEM = {
  link: '/news/2026/cocaine-lab.html',
  title: 'Police dismantle cocaine laboratory in port city',
  description: '<p>Police dismantled a clandestine cocaine laboratory and seized precursor chemicals in a port city.</p>',
};

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Hook {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A webhook receiver that answers each request with the next status (the last one repeats). */
async function receiver(statuses: number[]) {
  const got: Hook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      const status = statuses[Math.min(got.length - 1, statuses.length - 1)];
      res.writeHead(status).end(status >= 400 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

/** What a receiver does with the Standard Webhooks headers: the off-the-shelf library over the raw body. */
function verified(raw: string, headers: IncomingHttpHeaders, signingSecret: string): unknown {
  return new Webhook(signingSecret).verify(raw, headers as Record<string, string>);
}

/** Why the library refuses a delivery (its message), or a failure when it does not. */
function refusal(raw: string, headers: IncomingHttpHeaders, signingSecret: string): string {
  try {
    verified(raw, headers, signingSecret);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as Error).message;
  }
  throw new Error('the library accepted a delivery it should have refused');
}

/** What a receiver does with the legacy X-Monitor-Signature: recompute the HMAC over the raw body, compare in constant time. */
function signatureValid(raw: string, header: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(raw).digest('hex'));
  const given = Buffer.from(String(header ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

describe('alert channels end to end (embedded monitor)', () => {
  const adminKey = 'test-admin-key-0123456789abcdef';
  let feedServer: Server;
  let smtp: SMTPServer;
  const inbox: ParsedMail[] = [];
  let good: Awaited<ReturnType<typeof receiver>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;
  let dead: Awaited<ReturnType<typeof receiver>>;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;
  let env: Record<string, string>;
  let secondItem = false;

  beforeAll(async () => {
    let feedBase = '';
    feedServer = createServer((req, res) => {
      if (req.url !== '/feed.xml') return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
      const second = secondItem
        ? `<item><title>${xml(SECOND_ITEM.title)}</title><link>${feedBase}${SECOND_ITEM.link}</link>` +
          `<description>${xml(SECOND_ITEM.description)}</description><pubDate>Wed, 04 Nov 2026 10:00:00 GMT</pubDate></item>`
        : '';
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>${feedBase}</link>` +
          `<item><title>${xml(xml(HOSTILE_TITLE))}</title><link>${feedBase}${ITEM.link}</link>` +
          `<description>${xml(ITEM.description)}</description><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>${second}</channel></rss>`,
      );
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => inbox.push(mail))
          .then(() => callback(), callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    good = await receiver([204]);
    flaky = await receiver([500, 503, 500, 200]);
    dead = await receiver([500]);

    dataDir = mkdtempSync(join(tmpdir(), 'monitor-alerts-'));
    const sourcesFile = join(dataDir, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          { id: 'test-a', name: 'Test Agency', organisation: 'UNODC', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${feedBase}/feed.xml`, kind: 'feed' }] },
        ],
      }),
    );
    env = {
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      ADMIN_API_KEY: adminKey,
      ALLOW_PRIVATE_FEED_HOSTS: new URL(feedBase).host,
      // The receivers live on loopback; only that address is let through, so "localhost" is still refused.
      ALLOW_PRIVATE_WEBHOOK_HOSTS: '127.0.0.1',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      ALERT_EMAIL_FROM: 'Monitor <alerts@monitor.test>',
      ALERT_DELIVERY_MAX_ATTEMPTS: '4',
      ALERT_RETRY_INITIAL_DELAY_MS: '50',
      ALERT_RETRY_MAX_DELAY_MS: '300',
      POLLING: 'false',
    };
    monitor = await startMonitor(env);
  });

  afterAll(async () => {
    await monitor?.stop();
    await Promise.all([close(feedServer), close(good.server), close(flaky.server), close(dead.server)]);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.key) headers['X-API-Key'] = init.key;
    const response = await fetch(`${monitor!.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : undefined, text };
  };
  const newKey = async () => (await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'analyst' }) })).body.key as string;
  // Per article: these checks count one alert per matching article.
  const subscribe = (key: string, body: object) => api('/subscriptions', { method: 'POST', key, body: JSON.stringify({ per: 'article', ...body }) });

  it('refuses webhook URLs on private or loopback hosts that the operator did not allow, naming the field', async () => {
    const key = await newKey();
    for (const url of ['http://localhost:9/hook', 'http://10.1.2.3/hook', 'http://[::1]:8080/hook', 'http://169.254.169.254/latest']) {
      const refused = await subscribe(key, { topics: ['precursors'], channels: { webhook: { url } } });
      expect([url, refused.status]).toEqual([url, 400]);
      expect(refused.body.error.field).toBe('channels.webhook.url');
    }
    const allowed = await subscribe(key, { topics: ['precursors'], channels: { webhook: { url: good.url } } });
    expect(allowed.status).toBe(201);
    const patched = await api(`/subscriptions/${allowed.body.id}`, { method: 'PATCH', key, body: JSON.stringify({ channels: { webhook: { url: 'http://127.0.0.2:80/x' } } }) });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('channels.webhook.url');
    await api(`/subscriptions/${allowed.body.id}`, { method: 'DELETE', key });
  });

  it('delivers one alert on every channel: signed webhook, retried webhook, failed webhook, email, SSE and Atom', async () => {
    const key = await newKey();
    const other = await newKey();
    const secret = 'receiver-shared-secret-0123456789';
    const main = await subscribe(key, {
      name: 'Afghan opiates <desk>',
      topics: ['afghanistan-opiates'],
      channels: { webhook: { url: good.url, secret }, email: { to: 'analyst@example.org' } },
    });
    expect(main.status).toBe(201);
    const retried = await subscribe(key, { name: 'retried', topics: ['afghanistan-opiates'], channels: { webhook: { url: flaky.url } } });
    const failing = await subscribe(key, { name: 'failing', query: 'heroin', channels: { webhook: { url: dead.url } } });
    expect([retried.status, failing.status]).toEqual([201, 201]);

    const stream = await SseClient.connect(`${monitor!.baseUrl}/alerts/stream`, { 'X-API-Key': key });
    expect(stream.status).toBe(200);
    expect((await api('/sources/test-a/poll', { method: 'POST', key: adminKey })).status).toBe(200);

    // Webhook: one POST, signed over the exact bytes with the subscription's secret. The answer showed the
    // secret's whsec_ form; the Standard Webhooks library verifies the delivery with it.
    const signingSecret = main.body.channels.webhook.signingSecret as string;
    expect(signingSecret).toBe('whsec_' + Buffer.from(secret).toString('base64'));
    expect((await api(`/subscriptions/${main.body.id}`, { key })).body.channels.webhook).toEqual({ url: good.url, secret, signingSecret });
    await eventually(async () => good.got.length >= 1, 'the webhook');
    const hook = good.got[0];
    expect(verified(hook.raw, hook.headers, signingSecret)).toEqual(JSON.parse(hook.raw));
    expect(refusal(hook.raw.replace('Afghan heroin', 'Afghan opium'), hook.headers, signingSecret)).toMatch(/No matching signature/);
    expect(refusal(hook.raw, hook.headers, 'whsec_' + Buffer.from('another-secret-0123456789').toString('base64'))).toMatch(/No matching signature/);
    // Replayed as captured six minutes later: past the library's tolerance (5 minutes), refused.
    const later = jest.spyOn(Date, 'now').mockReturnValue(Number(hook.headers['webhook-timestamp']) * 1000 + 6 * 60_000);
    try {
      expect(refusal(hook.raw, hook.headers, signingSecret)).toMatch(/timestamp too old/);
    } finally {
      later.mockRestore();
    }
    // The legacy header, for one more release, with the same secret.
    expect(signatureValid(hook.raw, hook.headers['x-monitor-signature'], secret)).toBe(true);
    expect(signatureValid(hook.raw, hook.headers['x-monitor-signature'], 'another-secret-0123456789')).toBe(false);
    const body = JSON.parse(hook.raw);
    expect(hook.headers['webhook-id']).toBe(body.id);
    expect(body).toMatchObject({ type: 'alert', subscriptionId: main.body.id, subscriptionName: 'Afghan opiates <desk>' });
    expect(body.alert).toMatchObject({ schema: 'alerts.v1', kind: 'article', title: HOSTILE_TITLE, sourceId: 'test-a', subscriptionId: main.body.id });
    expect(body.alert.topics.map((t: { id: string }) => t.id)).toContain('afghanistan-opiates');
    expect(hook.headers['x-monitor-delivery']).toBe(body.id);
    expect(hook.headers['x-monitor-event']).toBe('alert');

    // A receiver that fails three times then succeeds gets the alert once: the same delivery id each time, delivered after 4 attempts.
    const deliveries = async (query = '') => (await api(`/alerts/deliveries${query}`, { key })).body as DeliveryRecord[];
    const retriedRow = await eventually(async () => (await deliveries()).find((d) => d.subscriptionId === retried.body.id && d.status === 'delivered'), 'the retried delivery');
    expect(retriedRow).toMatchObject({ channel: 'webhook', attempts: 4, status: 'delivered' });
    expect(flaky.got.filter((h) => h.headers['x-monitor-delivery'] === retriedRow.alertId)).toHaveLength(4);
    expect(flaky.got.map((h) => JSON.parse(h.raw).id)).toEqual(Array(4).fill(retriedRow.alertId));
    // Every attempt verifies with the generated secret and carries the same webhook-id, so a receiver can drop repeats.
    const generated = retried.body.channels.webhook as { secret: string; signingSecret: string };
    expect(generated.secret).toMatch(/^whsec_/);
    expect(generated.signingSecret).toBe(generated.secret);
    for (const attempt of flaky.got) expect(verified(attempt.raw, attempt.headers, generated.signingSecret)).toMatchObject({ id: retriedRow.alertId });
    expect(flaky.got.map((h) => h.headers['webhook-id'])).toEqual(Array(4).fill(retriedRow.alertId));
    const stamps = flaky.got.map((h) => Number(h.headers['webhook-timestamp']));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));

    // A receiver that always fails: the delivery ends failed, the reason visible, and it goes to alerts.v1.dlq.
    const failedRow = await eventually(async () => (await deliveries('?status=failed')).find((d) => d.subscriptionId === failing.body.id), 'the failed delivery');
    expect(failedRow).toMatchObject({ channel: 'webhook', status: 'failed', attempts: 4 });
    expect(failedRow.lastError).toMatch(/HTTP 500/);
    expect(failedRow.lastError).toMatch(/after 4 attempts/);
    expect(dead.got).toHaveLength(4);
    const metrics = await (await fetch(`${monitor!.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/monitor_dead_letters_total\{[^}]*topic="alerts\.v1\.dlq"[^}]*\} 1\b/);
    expect(metrics).toMatch(/monitor_alerts_failed_total\{[^}]*channel="webhook"[^}]*\} 1\b/);
    const bus = new Database(join(dataDir, 'monitor.db'), { readonly: true });
    try {
      const dlq = bus.prepare("SELECT key, value, headers FROM bus_messages WHERE topic = 'alerts.v1.dlq'").all() as Array<{ key: string; value: string; headers: string }>;
      expect(dlq).toHaveLength(1);
      expect(dlq[0].key).toBe(failedRow.alertId);
      expect(JSON.parse(dlq[0].headers)['x-dlq-reason']).toMatch(/HTTP 500/);
      expect(JSON.parse(dlq[0].value).message.alert.title).toBe(HOSTILE_TITLE);
    } finally {
      bus.close();
    }
    // Another key sees none of these deliveries.
    expect((await api('/alerts/deliveries', { key: other })).body).toEqual([]);

    // Email: plain text and HTML with headline, source, topics and evidence; the markup escaped in HTML.
    await eventually(async () => inbox.length >= 1, 'the email');
    const mail = inbox[0];
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0].address : undefined).toBe('analyst@example.org');
    expect(mail.from?.value[0].address).toBe('alerts@monitor.test');
    expect(mail.subject).toContain('Afghan heroin');
    expect(mail.text).toContain(HOSTILE_TITLE);
    expect(mail.text).toContain('Source: Test Agency');
    expect(mail.text).toMatch(/Afghanistan and opiates \(score [\d.]+\): .*heroin/i);
    expect(mail.html).toBeTruthy();
    const html = String(mail.html);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Test Agency');
    expect(html).toContain('Afghanistan and opiates');
    expect(html).toContain('Afghan opiates &lt;desk&gt;');
    const emailRow = (await deliveries()).find((d) => d.channel === 'email');
    expect(emailRow).toMatchObject({ status: 'delivered', attempts: 1, subscriptionId: main.body.id });

    // SSE: one event per subscription's alert, and no more after a while.
    await eventually(async () => stream.events.filter((e) => e.event === 'alert').length >= 3, 'three alerts over SSE');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sse = stream.events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data));
    stream.close();
    expect(sse.map((a) => a.subscriptionId).sort()).toEqual([main.body.id, retried.body.id, failing.body.id].sort());

    // Atom: a feed reader that can send no header passes the key in the URL; the feed parses back.
    const feedPath = `/subscriptions/${main.body.id}/feed.atom`;
    expect((await api(feedPath)).status).toBe(401);
    expect((await api(feedPath, { key: other })).status).toBe(404);
    const atom = await fetch(`${monitor!.baseUrl}${feedPath}?api_key=${encodeURIComponent(key)}`);
    expect(atom.status).toBe(200);
    expect(atom.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const text = await atom.text();
    expect(text).not.toContain('<script>');
    expect(text).not.toContain(key);
    type AtomFields = { id: string; updated: string; author: unknown; summary: string };
    const parser = new Parser<AtomFields, AtomFields>({
      customFields: { feed: ['id', 'updated', 'author'], item: ['id', 'updated', 'summary'] },
    });
    const feed = await parser.parseString(text);
    // RFC 4287's required elements: feed id, title, updated, author; entry id, title, updated.
    expect(feed).toMatchObject({ id: `urn:drug-control-monitor:subscription:${main.body.id}`, title: expect.stringContaining('Afghan opiates <desk>') });
    expect(Date.parse(feed.updated)).not.toBeNaN();
    expect(feed.author).toBeTruthy();
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ title: HOSTILE_TITLE, link: expect.stringContaining(ITEM.link), id: `urn:drug-control-monitor:alert:${body.alert.id}` });
    expect(Date.parse(feed.items[0].updated)).not.toBeNaN();
    expect(text).toMatch(/<link rel="self" type="application\/atom\+xml" href="http:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^"]+\/feed\.atom"\/>/);
    const withHeader = await api(feedPath, { key });
    expect(withHeader.status).toBe(200);

    // Nothing was sent twice: each receiver saw exactly what is counted above, after a re-poll too.
    expect((await api('/sources/test-a/poll', { method: 'POST', key: adminKey })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(good.got).toHaveLength(1);
    expect(flaky.got).toHaveLength(4);
    expect(dead.got).toHaveLength(4);
    expect(inbox).toHaveLength(1);
  });

  it('a delivery cut short by a stop is resumed by the next start and arrives once', async () => {
    // A receiver that holds its first request unanswered: the monitor is stopped while it waits.
    const held: Array<{ headers: IncomingHttpHeaders }> = [];
    let holding = true;
    const slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        held.push({ headers: req.headers });
        if (!holding) res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const key = await newKey();
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
      const sub = await subscribe(key, { name: 'cocaine', query: 'cocaine laboratory', channels: { webhook: { url } } });
      expect(sub.status).toBe(201);
      secondItem = true;
      expect((await api('/sources/test-a/poll', { method: 'POST', key: adminKey })).status).toBe(200);
      await eventually(async () => held.length >= 1, 'the held webhook request');
      const deliveryId = held[0].headers['x-monitor-delivery'];

      await monitor!.stop();
      expect(monitor!.output()).not.toMatch(/"level":(50|60)/);
      holding = false;
      monitor = await startMonitor(env);

      const row = await eventually(async () => {
        const rows = (await api(`/alerts/deliveries?subscriptionId=${sub.body.id}`, { key })).body as DeliveryRecord[];
        return rows.find((r) => r.status === 'delivered');
      }, 'the resumed delivery');
      expect(row.alertId).toBe(deliveryId);
      expect(held.filter((h) => h.headers['x-monitor-delivery'] === deliveryId)).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(held).toHaveLength(2);
    } finally {
      await close(slow);
    }
  });
});
