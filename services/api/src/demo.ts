import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { API_KEYS, ApiKeyRegistry, SUBSCRIPTION_STORE, SubscriptionStore } from '@monitor/alerts';
import { loadConfig } from '@monitor/config';
import { startDemoFeedServer } from '@monitor/demo';
import { exitOnStartupError } from '@monitor/runtime';
import { runMonitor } from './monitor-runner';

/**
 * `npm run demo`: the embedded monitor, unchanged, pointed at the project's own sample feeds and
 * SCO-style listing pages served on loopback, so the whole flow can be watched offline. The only
 * differences from `npm start` are the sources file and the permission to fetch from the demo's
 * own loopback server.
 */
async function demo(): Promise<void> {
  const feeds = await startDemoFeedServer({ port: Number(process.env.DEMO_FEED_PORT ?? 0) });
  const dataDir = resolve(process.env.DATA_DIR ?? join('.data', 'demo'));
  mkdirSync(dataDir, { recursive: true });
  const sourcesFile = join(dataDir, 'demo-sources.yaml');
  // YAML is a superset of JSON, so the generated file needs no YAML writer.
  writeFileSync(sourcesFile, JSON.stringify({ sources: feeds.sources }, null, 2));
  const config = loadConfig({
    ADMIN_API_KEY: 'demo-admin-key-not-for-production',
    // Every demo source lives on the one loopback server, which needs no politeness gap.
    FETCH_HOST_GAP_MS: '50',
    ...process.env,
    MONITOR_MODE: 'embedded',
    DATA_DIR: dataDir,
    SOURCES_FILE: sourcesFile,
    ALLOW_PRIVATE_FEED_HOSTS: new URL(feeds.baseUrl).host,
  });
  const app = await runMonitor(config);
  const keys = app.get<ApiKeyRegistry>(API_KEYS);
  const analyst = await keys.create({ role: 'analyst', label: `demo analyst ${new Date().toISOString()}` });
  await app.get<SubscriptionStore>(SUBSCRIPTION_STORE).create(analyst.keyId, { name: 'Everything on the statement’s topics (demo)' });
  const api = `http://${config.HOST}:${config.PORT}`;
  process.stdout.write(
    [
      '',
      `Demo feeds (loopback): ${feeds.baseUrl}`,
      `Monitor:               ${api}   (OpenAPI: ${api}/docs)`,
      `Data directory:        ${dataDir}`,
      `Admin key:             ${config.ADMIN_API_KEY}`,
      `Analyst key (new):     ${analyst.key}`,
      '',
      'Try:',
      `  curl '${api}/search?q=Afghanistan'`,
      `  curl -N -H 'X-API-Key: ${analyst.key}' '${api}/alerts/stream'`,
      `  curl '${api}/sources'`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await app.close();
    await feeds.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

demo().catch(exitOnStartupError);
