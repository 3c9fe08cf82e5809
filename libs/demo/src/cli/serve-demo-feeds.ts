/**
 * Serves the demo site on its own, for looking at the feeds and pages in a browser or pointing a
 * locally run collector at them:
 *   node -r @swc-node/register libs/demo/src/cli/serve-demo-feeds.ts [--port 4010]
 * Prints the base URL and the source configs (JSON) to paste into a sources file. Ctrl-C stops it.
 */
import { ValidationError } from '@monitor/contracts';
import { startDemoFeedServer, type DemoFeedServer } from '../demo-feed-server';

export function parsePortArgument(argv: readonly string[]): number {
  const index = argv.indexOf('--port');
  if (index === -1) return 4010;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`--port wants 0..65535, got '${argv[index + 1] ?? ''}'`, 'port');
  return port;
}

export async function serveDemoFeeds(argv: readonly string[], print: (line: string) => void): Promise<DemoFeedServer> {
  const server = await startDemoFeedServer({ port: parsePortArgument(argv) });
  print(`demo feeds at ${server.baseUrl}/ (${server.items().length} announcements)`);
  for (const source of server.sources) print(`  ${source.id.padEnd(16)} ${source.candidates[source.candidates.length - 1].url}`);
  print(JSON.stringify({ sources: server.sources }, null, 2));
  return server;
}

if (require.main === module) {
  serveDemoFeeds(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (server) => process.once('SIGINT', () => void server.close().then(() => process.exit(0))),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
