import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { MonitorError } from '@monitor/contracts';
import type { MonitorConfig } from '@monitor/config';
import type { SourceRegistry, SourceStateStore } from '@monitor/feeds';
import { RemoteSourceOperations } from './remote-source-operations';

describe('RemoteSourceOperations.pollNow (the api forwarding "poll now" to a collector)', () => {
  let server: Server;
  let handle: (req: IncomingMessage, res: ServerResponse, n: number) => void;
  let requests: number;
  let operations: RemoteSourceOperations;

  beforeEach(async () => {
    requests = 0;
    server = createServer((req, res) => handle(req, res, ++requests));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = { COLLECTOR_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ADMIN_API_KEY: 'admin-key-0123456789', FETCH_TIMEOUT_MS: 2_000 } as MonitorConfig;
    operations = new RemoteSourceOperations(config, {} as SourceRegistry, {} as SourceStateStore);
  });

  afterEach(async () => {
    await operations.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const answer = (res: ServerResponse) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sourceId: 'unodc', ok: true, published: 2 }));

  it('sends a poll once more when its connection dropped with no answer, and returns the answer', async () => {
    handle = (req, res, n) => (n === 1 ? req.socket.destroy() : answer(res));
    await expect(operations.pollNow('unodc')).resolves.toEqual({ sourceId: 'unodc', ok: true, published: 2 });
    expect(requests).toBe(2);
  });

  it('says the collector is unreachable, retriable, when the second try drops too', async () => {
    handle = (req) => req.socket.destroy();
    const error = await operations.pollNow('unodc').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MonitorError);
    expect(error).toMatchObject({ code: 'COLLECTOR_UNREACHABLE', retriable: true });
    expect(requests).toBe(2);
  });

  it('does not repeat a poll the collector answered, even with a 5xx', async () => {
    handle = (_req, res) => res.writeHead(503).end();
    await expect(operations.pollNow('unodc')).rejects.toMatchObject({ code: 'COLLECTOR_FAILED', retriable: true });
    expect(requests).toBe(1);
  });
});
