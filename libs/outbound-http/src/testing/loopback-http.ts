import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 for specs; `handler` may be swapped between requests; `seen` counts requests. */
export async function startLoopbackHttp(handler: LoopbackHandler = (_req, res) => res.end('ok')) {
  const state = { handler, seen: 0 };
  const server = createServer((req, res) => {
    state.seen += 1;
    state.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    state,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
