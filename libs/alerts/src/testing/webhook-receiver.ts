import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: unknown;
}

/**
 * A webhook receiver on loopback for tests: answers each request with the next status of
 * `statuses` (the last one repeats), and keeps every request it got.
 */
export async function startWebhookReceiver(statuses: number[] = [204], extraHeaders: Record<string, string> = {}) {
  const received: ReceivedWebhook[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = statuses[Math.min(calls, statuses.length - 1)];
      calls += 1;
      received.push({ headers: req.headers, raw, body: raw ? JSON.parse(raw) : undefined });
      res.writeHead(status, extraHeaders);
      res.end(status >= 400 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
