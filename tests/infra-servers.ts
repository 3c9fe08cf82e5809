/**
 * Real Kafka and Elasticsearch for integration tests and CI: each `ensure*` returns at once when
 * the server already answers, and otherwise starts it through the project's infra/ scripts (which
 * fetch it from Maven on first use). It throws, never skips, when a server cannot be had.
 */
import { execFile } from 'node:child_process';
import { AddressInfo, createConnection, createServer } from 'node:net';
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
async function isHealthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
      signal: AbortSignal.timeout(3_000),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

async function infra(script: string, action: 'start' | 'stop' | 'purge', env: Record<string, string>): Promise<void> {
  try {
    await run(join(INFRA, script), [action], { env: { ...process.env, ...env }, timeout: START_TIMEOUT_MS, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`infra/${script} ${action} failed: ${message}\n${stderr ?? ''}`);
  }
}

function loopbackPort(address: string, what: string): number {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) {
    throw new Error(`${what} ${address} is not on loopback; the tests start only local servers`);
  }
  return Number(url.port);
}

function kafkaEnv(ports: KafkaPorts): { port: number; env: Record<string, string> } {
  const port = ports.port ?? loopbackPort((process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0], 'KAFKA_BROKERS');
  const controllerPort = ports.controllerPort ?? port + 1;
  return { port, env: { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) } };
}

function elasticsearchEnv(ports: ElasticsearchPorts): { port: number; env: Record<string, string> } {
  const port = ports.port ?? loopbackPort(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200', 'ELASTICSEARCH_URL');
  const transportPort = ports.transportPort ?? port + 100;
  return { port, env: { ES_HTTP_PORT: String(port), ES_TRANSPORT_PORT: String(transportPort) } };
}

/**
 * Kafka at KAFKA_BROKERS (default 127.0.0.1:9092), started if nothing listens there. Pass other
 * ports to get a broker of one's own (a fault test that stops it then disturbs no one else);
 * the controller port defaults to the broker port + 1.
 */
export async function ensureKafka(ports: KafkaPorts = {}): Promise<KafkaServer> {
  const { port, env } = kafkaEnv(ports);
  if (!(await isListening(port))) await infra('kafka.sh', 'start', env);
  return { brokers: [`127.0.0.1:${port}`], port };
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
  const { port, env } = elasticsearchEnv(ports);
  // A node that listens may still be starting; the script waits for it in that case.
  if (!(await isHealthy(port))) await infra('elasticsearch.sh', 'start', env);
  return { url: `http://127.0.0.1:${port}`, port };
}

/** Stops a node that infra/elasticsearch.sh started (its data is kept). */
export async function stopElasticsearch(ports: ElasticsearchPorts = {}): Promise<void> {
  await infra('elasticsearch.sh', 'stop', elasticsearchEnv(ports).env);
}

/** Stops such a node and deletes its data: for a test's own throwaway node. */
export async function purgeElasticsearch(ports: ElasticsearchPorts): Promise<void> {
  await infra('elasticsearch.sh', 'purge', elasticsearchEnv(ports).env);
}

/** A port nothing listens on now, from the OS: for a test's own server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
