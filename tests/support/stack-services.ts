import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, MonitorEntry, MonitorProcess, startMonitor } from './monitor-process';

export const STACK_SERVICES = ['collector', 'classifier', 'indexer', 'alerter', 'api'] as const;
export type StackService = (typeof STACK_SERVICES)[number];

export interface StackOptions {
  brokers: string[];
  elasticsearchUrl: string;
  /** Which services run as processes (default: all five). */
  services?: StackService[];
  /**
   * Processes per service (default 1). Replicas share the service's environment and consumer
   * group, each on a port of its own and with a DATA_DIR of its own (as if on a host of its own);
   * the other services are told replica 0's address.
   */
  replicas?: Partial<Record<StackService, number>>;
  /** More environment for every service (SOURCES_FILE, ALLOW_PRIVATE_FEED_HOSTS, …). */
  env?: Record<string, string>;
  /**
   * More environment for one replica, over `env`: its own DATA_DIR (under the stack's directory,
   * which `close` removes), say, to show it keeps nothing of its own on the host.
   */
  replicaEnv?: (service: StackService, replica: number, dataDir: string) => Record<string, string>;
  /** What each service runs (default: its TypeScript main through swc's require hook, as in development). */
  entry?: (service: StackService) => MonitorEntry;
}

export interface RunningStack {
  /** Unique to this stack: its topics and consumer groups on the broker carry it. */
  topicPrefix: string;
  /** Unique to this stack: the Elasticsearch alias its articles are written through. */
  alias: string;
  dataDir: string;
  adminKey: string;
  env: Record<string, string>;
  /** Replica 0 is the one the other services are told about; `replica` picks another. */
  url(service: StackService, replica?: number): string;
  process(service: StackService, replica?: number): MonitorProcess;
  /** Starts (or starts again, on the same port and state) one service's replica and waits until it is ready (/ready). */
  start(service: StackService, replica?: number): Promise<MonitorProcess>;
  /** Stops one service's replica with a signal (SIGKILL: no shutdown hooks, nothing committed on the way out). */
  stop(service: StackService, signal?: NodeJS.Signals, replica?: number): Promise<void>;
  /** Every service's output (the last `limit` characters of each), for a failing test's message. */
  output(limit?: number): string;
  /** Every SQLite file (or its WAL) any process left in its DATA_DIR: none, in stack mode. */
  sqliteFiles(): string[];
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
  const replicaCount = (service: StackService) => options.replicas?.[service] ?? 1;
  // Every process is one replica of one service; the first replica keeps the service's bare name.
  const instances = STACK_SERVICES.flatMap((service) => Array.from({ length: replicaCount(service) }, (_, replica) => instanceName(service, replica)));
  const ports = new Map<string, number>();
  for (const instance of instances) ports.set(instance, await freePort());
  const portOf = (service: StackService, replica = 0): number => {
    const port = ports.get(instanceName(service, replica));
    if (port === undefined) throw new Error(`${service} has ${replicaCount(service)} replica(s), not a replica ${replica}`);
    return port;
  };
  const env: Record<string, string> = {
    MONITOR_MODE: 'stack',
    KAFKA_BROKERS: options.brokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_CLIENT_ID: `stack-test-${run}`,
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    ELASTICSEARCH_INDEX: alias,
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    COLLECTOR_URL: `http://127.0.0.1:${portOf('collector')}`,
    CLASSIFIER_URL: `http://127.0.0.1:${portOf('classifier')}`,
    INDEXER_URL: `http://127.0.0.1:${portOf('indexer')}`,
    ALERTER_URL: `http://127.0.0.1:${portOf('alerter')}`,
    POLLING: 'false',
    FETCH_HOST_GAP_MS: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  // Keyed by instance name (see instanceName).
  const running = new Map<string, MonitorProcess>();
  const outputs = new Map<string, string[]>();

  const start = async (service: StackService, replica = 0): Promise<MonitorProcess> => {
    const ownDir = join(dataDir, instanceName(service, replica));
    mkdirSync(ownDir, { recursive: true });
    const own = options.replicaEnv?.(service, replica, dataDir) ?? {};
    const entry = options.entry?.(service) ?? `services/${service}/src/main.ts`;
    const child = await startMonitor({ ...env, DATA_DIR: ownDir, ...own, PORT: String(portOf(service, replica)) }, entry);
    running.set(instanceName(service, replica), child);
    return child;
  };
  const stopInstance = async (instance: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = running.get(instance);
    if (!child) return;
    running.delete(instance);
    await child.stop(signal);
    outputs.set(instance, [...(outputs.get(instance) ?? []), child.output()]);
  };
  const stop = (service: StackService, signal: NodeJS.Signals = 'SIGTERM', replica = 0): Promise<void> =>
    stopInstance(instanceName(service, replica), signal);
  const output = (limit = 4_000) =>
    instances
      .map((instance) => {
        const text = [...(outputs.get(instance) ?? []), running.get(instance)?.output() ?? ''].join('').trim();
        return text ? `--- ${instance}\n${text.slice(-limit)}` : '';
      })
      .filter(Boolean)
      .join('\n');

  const stack: RunningStack = {
    topicPrefix,
    alias,
    dataDir,
    adminKey,
    env,
    url: (service, replica = 0) => `http://127.0.0.1:${portOf(service, replica)}`,
    process: (service, replica = 0) => {
      const child = running.get(instanceName(service, replica));
      if (!child) throw new Error(`${instanceName(service, replica)} is not running`);
      return child;
    },
    start,
    stop,
    output,
    sqliteFiles: () => (readdirSync(dataDir, { recursive: true }) as string[]).filter((file) => /\.(db|sqlite)(-wal|-shm|-journal)?$/.test(file)),
    async close() {
      await Promise.all([...running.keys()].map((instance) => stopInstance(instance)));
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
    await Promise.all(services.flatMap((service) => Array.from({ length: replicaCount(service) }, (_, replica) => start(service, replica))));
  } catch (error) {
    const log = output();
    await stack.close();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return stack;
}

/** `alerter` for the first replica, `alerter#2` for the second, and so on: in logs and failure messages. */
function instanceName(service: StackService, replica: number): string {
  return replica === 0 ? service : `${service}#${replica + 1}`;
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
    // The articles' index and the state indices named after the alias (the sources' state, say).
    const indices = (await elastic.cat.indices({ index: `${alias}-*`, format: 'json', h: 'index' })).map((row) => row.index as string);
    await elastic.indices.delete({ index: [...new Set([`${alias}-v1`, ...indices])] }, { ignore: [404] });
    await elastic.indices.deleteIndexTemplate({ name: `${alias}-template` }, { ignore: [404] });
  } finally {
    await elastic.close();
  }
}
