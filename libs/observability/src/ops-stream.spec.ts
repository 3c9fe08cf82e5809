import { createServer, get, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OpsStream } from './ops-stream';

describe('OpsStream', () => {
  let server: Server;
  let stream: OpsStream;
  let state = { value: 1, generatedAt: '' };

  beforeEach(async () => {
    stream = new OpsStream({ intervalMs: 20, build: async () => ({ ...state, generatedAt: new Date().toISOString() }) });
    server = createServer((_req, res) => stream.serve(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    stream.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the overview at once and then only when it changed, to every client', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const open = () =>
      new Promise<{ res: IncomingMessage; events: unknown[] }>((resolve) => {
        get(url, (res) => {
          const events: unknown[] = [];
          let buffer = '';
          res.on('data', (chunk) => {
            buffer += chunk;
            const frames = buffer.split('\n\n');
            buffer = frames.pop()!;
            for (const frame of frames) {
              const data = frame.split('\n').find((line) => line.startsWith('data: '));
              if (data && frame.includes('event: overview')) events.push(JSON.parse(data.slice(6)));
            }
          });
          resolve({ res, events });
        });
      });
    const a = await open();
    const until = async (probe: () => boolean) => {
      for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => a.events.length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(a.events).toHaveLength(1);
    const b = await open();
    await until(() => b.events.length >= 1);
    expect(b.events).toHaveLength(1);
    state = { ...state, value: 2 };
    await until(() => a.events.length >= 2 && b.events.length >= 2);
    expect(a.events[1]).toMatchObject({ value: 2 });
    expect(b.events[1]).toMatchObject({ value: 2 });
    expect(stream.clientCount()).toBe(2);
    a.res.destroy();
    b.res.destroy();
    await until(() => stream.clientCount() === 0);
    expect(stream.clientCount()).toBe(0);
  });
});
