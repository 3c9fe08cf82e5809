import { spawn, spawnSync } from 'node:child_process';
import { Agent, createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonitorProcess, REPO_ROOT, startMonitor } from './support/monitor-process';

// The API against its own OpenAPI document: schemathesis (PyPI, installed into tmp/ by
// tests/support/install-schemathesis.sh) generates requests from /docs/openapi.json, valid ones and
// broken ones, sends them to the embedded monitor and runs every check it has: each answer's status,
// content type, headers and body as declared; valid requests accepted and invalid ones refused;
// methods the document does not list answered 405 with Allow; a wrong or missing key refused.
// A fixed seed and a small number of examples per operation keep a run to a few minutes.
const SEED = '20261205';
const EXAMPLES_PER_OPERATION = '8';
const ADMIN_KEY = 'contract-admin-key-0123456789abcdef';

interface ErrorAnswer {
  error: { code: string; message: string; field?: string };
}

function installSchemathesis(): string {
  const result = spawnSync('bash', [join(REPO_ROOT, 'tests/support/install-schemathesis.sh')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot install schemathesis (tests/support/install-schemathesis.sh):\n${result.stderr}${result.stdout}`);
  return result.stdout.trim().split('\n').pop()!;
}

/** Runs a command to its end without blocking this process, whose feed server must keep answering. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Python's rich colours its output whenever FORCE_COLOR is set at all, even to 0 (as
    // tests/run-all.js sets it), whatever --no-color says; NO_COLOR is what it honours.
    const { FORCE_COLOR: _ignored, ...inherited } = process.env;
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...inherited, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    // And any escape sequence left is taken out, so the summary reads as text.
    child.once('exit', (code) => resolve({ code, output: output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') }));
  });
}

describe('the API honours its OpenAPI document', () => {
  let schemathesis: string;
  let feedServer: Server;
  let feedHost: string;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;

  beforeAll(async () => {
    schemathesis = installSchemathesis();
    // The only place the monitor fetches from during the run: every path is a 404 at once.
    feedServer = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no feed here'));
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedHost = `127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-contract-'));
    const sourcesFile = join(dataDir, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [{ id: 'contract-feed', name: 'Contract test feed', organisation: 'UNODC', language: 'en', pollIntervalMinutes: 60, candidates: [{ url: `http://${feedHost}/feed.xml`, kind: 'feed' }] }],
      }),
    );
    monitor = await startMonitor({
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      ADMIN_API_KEY: ADMIN_KEY,
      POLLING: 'false',
      ALLOW_PRIVATE_FEED_HOSTS: feedHost,
      // Generated webhook URLs name any host; no alert is ever sent to one (no article arrives).
      ALLOW_PRIVATE_WEBHOOK_HOSTS: 'true',
      FETCH_HOST_GAP_MS: '0',
      FETCH_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    await monitor?.stop();
    await new Promise((resolve) => feedServer?.close(resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const request = (path: string, init: RequestInit = {}) => fetch(`${monitor!.baseUrl}${path}`, init);
  // fetch refuses to send TRACE, so that one goes through node:http.
  const trace = (path: string) =>
    new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${monitor!.baseUrl}${path}`, { method: 'TRACE' }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
      });
      req.once('error', reject);
      req.end();
    });
  const asAdmin = { 'X-API-Key': ADMIN_KEY };

  it('answers what HTTP says for bodies, methods and paths, in the one error shape', async () => {
    const noBody = await request('/subscriptions', { method: 'POST', headers: asAdmin });
    expect(noBody.status).toBe(400);
    expect(await noBody.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'body' } });

    const text = await request('/subscriptions', { method: 'POST', headers: { ...asAdmin, 'Content-Type': 'text/plain' }, body: '{"topics":[]}' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as ErrorAnswer).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const notJson = await request('/subscriptions', { method: 'POST', headers: { ...asAdmin, 'Content-Type': 'application/json' }, body: '{"topics": [' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'body' } });

    const traced = await trace('/topics');
    expect(traced.status).toBe(405);
    expect(traced.allow).toBe('GET, HEAD, OPTIONS');
    expect(JSON.parse(traced.body).error.code).toBe('METHOD_NOT_ALLOWED');
    const deleted = await request('/topics', { method: 'DELETE' });
    expect(deleted.status).toBe(405);

    const options = await request('/subscriptions/s0123456789abcdef', { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, PUT');

    const nowhere = await request('/no/such/thing');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('content-type')).toContain('application/json');
    expect(((await nowhere.json()) as ErrorAnswer).error.code).toBe('NOT_FOUND');

    // An Atom route answers its errors in JSON too, not in the feed's content type.
    const feed = await request('/subscriptions/s0123456789abcdef/feed.atom', { headers: asAdmin });
    expect(feed.status).toBe(404);
    expect(feed.headers.get('content-type')).toContain('application/json');
  });

  it('keeps an idle connection open past the 5 s Node gives by default, so a client or proxy reusing it is not cut off', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; keepAlive: string; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(`${monitor!.baseUrl}/topics`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, keepAlive: String(res.headers['keep-alive']), reused: req.reusedSocket }));
        });
        req.once('error', reject);
        req.end();
      });
    try {
      const first = await get();
      expect(first).toMatchObject({ status: 200, keepAlive: 'timeout=65', reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // With Node's default the server would have closed the connection a second ago.
      expect(await get()).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('publishes a document made from the schemas that validate', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document read by path
    const document = (await (await request('/docs/openapi.json')).json()) as any;
    expect(document.openapi).toBe('3.1.0');
    const search = document.paths['/search'].get;
    const size = search.parameters.find((p: { name: string }) => p.name === 'size');
    expect(size.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(Object.keys(search.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '500', '503']));
    const reclassify = document.paths['/admin/reclassify'].post;
    expect(reclassify.security).toEqual([{ 'api-key': ['admin'] }, { bearer: ['admin'] }]);
    expect(Object.keys(reclassify.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '413', '415']));
    expect(reclassify.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('passes every schemathesis check on requests generated from the document', async () => {
    const { code, output } = await run(
      schemathesis,
      [
        '--no-color',
        '--config-file',
        'tests/support/schemathesis.toml',
        'run',
        `${monitor!.baseUrl}/docs/openapi.json`,
        '--checks',
        'all',
        '--seed',
        SEED,
        '--max-examples',
        EXAMPLES_PER_OPERATION,
        '--workers',
        '1',
        '--generation-database',
        'none',
      ],
      {
        SCHEMATHESIS_HOOKS: join(REPO_ROOT, 'tests/support/schemathesis_hooks.py'),
        CONTRACT_ADMIN_KEY: ADMIN_KEY,
        CONTRACT_FEED_URL: `http://${feedHost}/feed.xml`,
      },
    );
    const summary = /(\d+) generated[^\n]*/.exec(output)?.[0] ?? '(no summary)';
    process.stdout.write(`schemathesis: ${summary}\n`);
    if (code !== 0) throw new Error(`schemathesis found failures (exit ${code}):\n${output}`);
    // Not a vacuous pass: every operation of the document was loaded and exercised.
    expect(output).toMatch(/Operations:\s+(\d+) selected \/ \1 total/);
    expect(Number(/(\d+) generated/.exec(output)?.[1])).toBeGreaterThan(500);
  }, 15 * 60_000);
});
