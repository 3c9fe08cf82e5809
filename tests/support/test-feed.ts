import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** An RSS feed served on loopback at `${base}/feed.xml`, its body built from the base URL (links are absolute). */
export interface TestFeed {
  base: string;
  close(): Promise<void>;
}

export async function serveFeed(body: (base: string) => string): Promise<TestFeed> {
  let base = '';
  const server: Server = createServer((req, res) => {
    if (req.url !== '/feed.xml') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
    res.end(body(base));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A sources file in `dir` with one source, `test`, polling the feed; returns its path. */
export function writeOneFeedSource(dir: string, feed: TestFeed): string {
  const file = join(dir, 'sources.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      sources: [{ id: 'test', name: 'Test', organisation: 'UNODC', language: 'en', enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${feed.base}/feed.xml`, kind: 'feed' }] }],
    }),
  );
  return file;
}
