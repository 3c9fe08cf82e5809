import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, MonitorProcess, startMonitor } from './monitor-process';

export const STACK_SERVICES = ['collector', 'classifier', 'indexer', 'alerter', 'api'] as const;
export type StackService = (typeof STACK_SERVICES)[number];

export interface StackOptions {
  brokers: string[];
  elasticsearchUrl: string;
  /** Which services run as processes (default: all five). */
  services?: StackService[];
  /** More environment for every service (SOURCES_FILE, ALLOW_PRIVATE_FEED_HOSTS, …). */
  env?: Record<string, string>;
}

export interface RunningStack {
  /** Unique to this stack: its topics and consumer groups on the broker carry it. */
  topicPrefix: string;
  /** Unique to this stack: the Elasticsearch alias its articles are written through. */
  alias: string;
  dataDir: string;
  adminKey: string;
  env: Record<string, string>;
  url(service: StackService): string;
  process(service: StackService): MonitorProcess;
  /** Starts (or starts again, on the same port and state) one service and waits for its /health. */
  start(service: StackService): Promise<MonitorProcess>;
  /** Stops one service with a signal (SIGKILL: no shutdown hooks, nothing committed on the way out). */
  stop(service: StackService, signal?: NodeJS.Signals): Promise<void>;
  /** Every service's output (the last `limit` characters of each), for a failing test's message. */
  output(limit?: number): string;
  /** Stops every service and removes the stack's topics, groups, index and state. */
  close(): Promise<void>;
}

/**
 * The stack's services as real processes (the same entry points as `npm run start:stack`), in
 * stack mode against a real Kafka and Elasticsearch. A random topic prefix, Elasticsearch alias
 * and state directory keep it apart from every other test and from a stack someone runs by hand
 * on the same servers.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const run = randomBytes(4).toString('hex');
  const topicPrefix = `test-${run}.`;
  const alias = `stack-${run}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-stack-'));
  const adminKey = `stack-admin-${randomBytes(12).toString('hex')}`;
  const services = options.services ?? [...STACK_SERVICES];
  const ports = new Map<StackService, number>();
  for (const service of STACK_SERVICES) ports.set(service, await freePort());
  const env: Record<string, string> = {
    MONITOR_MODE: 'stack',
    KAFKA_BROKERS: options.brokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_CLIENT_ID: `stack-test-${run}`,
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    ELASTICSEARCH_INDEX: alias,
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    COLLECTOR_URL: `http://127.0.0.1:${ports.get('collector')}`,
    CLASSIFIER_URL: `http://127.0.0.1:${ports.get('classifier')}`,
    INDEXER_URL: `http://127.0.0.1:${ports.get('indexer')}`,
    ALERTER_URL: `http://127.0.0.1:${ports.get('alerter')}`,
    POLLING: 'false',
    FETCH_HOST_GAP_MS: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const running = new Map<StackService, MonitorProcess>();
  const outputs = new Map<StackService, string[]>();

  const start = async (service: StackService): Promise<MonitorProcess> => {
    const child = await startMonitor({ ...env, PORT: String(ports.get(service)) }, `services/${service}/src/main.ts`);
    running.set(service, child);
    return child;
  };
  const stop = async (service: StackService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = running.get(service);
    if (!child) return;
    running.delete(service);
    await child.stop(signal);
    outputs.set(service, [...(outputs.get(service) ?? []), child.output()]);
  };
  const output = (limit = 4_000) =>
    STACK_SERVICES.map((service) => {
      const text = [...(outputs.get(service) ?? []), running.get(service)?.output() ?? ''].join('').trim();
      return text ? `--- ${service}\n${text.slice(-limit)}` : '';
    })
      .filter(Boolean)
      .join('\n');

  const stack: RunningStack = {
    topicPrefix,
    alias,
    dataDir,
    adminKey,
    env,
    url: (service) => `http://127.0.0.1:${ports.get(service)}`,
    process: (service) => {
      const child = running.get(service);
      if (!child) throw new Error(`${service} is not running`);
      return child;
    },
    start,
    stop,
    output,
    async close() {
      await Promise.all([...running.keys()].map((service) => stop(service)));
      // STACK_TEST_LOGS=DIR keeps every service's output of the run, for reading after the fact.
      if (process.env.STACK_TEST_LOGS) {
        mkdirSync(process.env.STACK_TEST_LOGS, { recursive: true });
        writeFileSync(join(process.env.STACK_TEST_LOGS, `stack-${run}.log`), output(Infinity));
      }
      await removeStackData(options, topicPrefix, alias).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // All at once, as an operator's supervisor starts them: they race to create the topics.
    await Promise.all(services.map((service) => start(service)));
  } catch (error) {
    const log = output();
    await stack.close();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return stack;
}

/** The shared servers outlive the test: its topics, consumer groups, index and template go. */
async function removeStackData(options: StackOptions, topicPrefix: string, alias: string): Promise<void> {
  const kafka = new Kafka({ brokers: options.brokers, clientId: 'stack-test-cleanup', retry: { retries: 2 }, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((group) => group.includes(`.${topicPrefix}`));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
  const elastic = new Client({ node: options.elasticsearchUrl });
  try {
    await elastic.indices.delete({ index: `${alias}-v1` }, { ignore: [404] });
    await elastic.indices.deleteIndexTemplate({ name: `${alias}-template` }, { ignore: [404] });
  } finally {
    await elastic.close();
  }
}
