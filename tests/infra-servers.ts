/**
 * Real Kafka and Elasticsearch for integration tests and CI: each `ensure*` returns at once when
 * the server already answers, and otherwise starts it through the project's infra/ scripts (which
 * fetch it from Maven on first use). It throws, never skips, when a server cannot be had.
 */
import { execFile } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const INFRA = join(__dirname, '..', 'infra');
/** First start includes the Maven download (about 150 MB). */
const START_TIMEOUT_MS = 10 * 60_000;

export interface KafkaServer {
  brokers: string[];
  port: number;
}

export interface ElasticsearchServer {
  url: string;
  port: number;
}

export interface KafkaPorts {
  port?: number;
  controllerPort?: number;
}

export interface ElasticsearchPorts {
  port?: number;
  transportPort?: number;
}

/** True when something accepts TCP connections on host:port within the timeout. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** GET / answers 405 on the integ-test distribution, so health is asked of the cluster. */
async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
      signal: AbortSignal.timeout(3_000),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

export type InfraScript = 'kafka.sh' | 'elasticsearch.sh';
export type InfraAction = 'start' | 'stop' | 'purge' | 'kill';

/** Runs an infra/ script; `args` are its cluster options (`--nodes`, `--base-port`, `--node`). */
export async function infra(script: InfraScript, action: InfraAction, env: Record<string, string> = {}, args: string[] = []): Promise<void> {
  try {
    await run(join(INFRA, script), [action, ...args], { env: { ...process.env, ...env }, timeout: START_TIMEOUT_MS, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`infra/${script} ${[action, ...args].join(' ')} failed: ${message}\n${stderr ?? ''}`);
  }
}

interface Address {
  host: string;
  port: number;
  loopback: boolean;
}

function parseAddress(address: string): Address {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(url.port), loopback: ['127.0.0.1', 'localhost', '::1'].includes(host) };
}

/** Only a server on this machine can be started; one elsewhere must already answer. */
function unreachable(what: string, address: string): Error {
  return new Error(`${what} ${address} does not answer, and it is not on loopback, so the tests cannot start it`);
}

function kafkaEnv(ports: KafkaPorts): { address: Address; env: Record<string, string> } {
  const configured = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0].trim();
  const address = ports.port ? { host: '127.0.0.1', port: ports.port, loopback: true } : parseAddress(configured);
  const controllerPort = ports.controllerPort ?? address.port + 1;
  return { address, env: { KAFKA_PORT: String(address.port), KAFKA_CONTROLLER_PORT: String(controllerPort) } };
}

function elasticsearchEnv(ports: ElasticsearchPorts): { address: Address; env: Record<string, string> } {
  const configured = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const address = ports.port ? { host: '127.0.0.1', port: ports.port, loopback: true } : parseAddress(configured);
  const transportPort = ports.transportPort ?? address.port + 100;
  return { address, env: { ES_HTTP_PORT: String(address.port), ES_TRANSPORT_PORT: String(transportPort) } };
}

/**
 * Kafka at KAFKA_BROKERS (default 127.0.0.1:9092), started if nothing listens there. Pass other
 * ports to get a broker of one's own (a fault test that stops it then disturbs no one else);
 * the controller port defaults to the broker port + 1.
 */
export async function ensureKafka(ports: KafkaPorts = {}): Promise<KafkaServer> {
  const { address, env } = kafkaEnv(ports);
  const { host, port } = address;
  if (!(await isListening(port, host))) {
    if (!address.loopback) throw unreachable('Kafka at', `${host}:${port}`);
    await infra('kafka.sh', 'start', env);
  }
  return { brokers: [`${host}:${port}`], port };
}

/** Stops a broker that infra/kafka.sh started (its data is kept; `ensureKafka` restarts it). */
export async function stopKafka(ports: KafkaPorts = {}): Promise<void> {
  await infra('kafka.sh', 'stop', kafkaEnv(ports).env);
}

/** Stops such a broker and deletes its data: for a test's own throwaway broker. */
export async function purgeKafka(ports: KafkaPorts): Promise<void> {
  await infra('kafka.sh', 'purge', kafkaEnv(ports).env);
}

/**
 * Elasticsearch at ELASTICSEARCH_URL (default http://127.0.0.1:9200), started if it does not
 * answer. The transport port defaults to the HTTP port + 100.
 */
export async function ensureElasticsearch(ports: ElasticsearchPorts = {}): Promise<ElasticsearchServer> {
  const { address, env } = elasticsearchEnv(ports);
  const { host, port } = address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // A node that listens may still be starting; the script waits for it in that case.
  if (!(await isHealthy(url))) {
    if (!address.loopback) throw unreachable('Elasticsearch at', url);
    await infra('elasticsearch.sh', 'start', env);
  }
  return { url, port };
}

/** Stops a node that infra/elasticsearch.sh started (its data is kept). */
export async function stopElasticsearch(ports: ElasticsearchPorts = {}): Promise<void> {
  await infra('elasticsearch.sh', 'stop', elasticsearchEnv(ports).env);
}

/** Stops such a node and deletes its data: for a test's own throwaway node. */
export async function purgeElasticsearch(ports: ElasticsearchPorts): Promise<void> {
  await infra('elasticsearch.sh', 'purge', elasticsearchEnv(ports).env);
}

// Ports this process handed out, so that two servers of one test never get the same one.
const handedOut = new Set<number>();

/**
 * A port nobody listens on for a server a test starts later. Drawn from 10,000–20,000, below
 * Linux's ephemeral range (32,768 and up) and apart from the cluster tests' 20,000–32,000: a port
 * the kernel once gave to listen(0) is as likely to be taken by an outgoing connection (a Kafka or
 * Elasticsearch client) before the server binds it, which made a stack fail with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 10_000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free port between 10,000 and 20,000 on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
