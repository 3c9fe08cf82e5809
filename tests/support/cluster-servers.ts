/**
 * Real multi-node Kafka and Elasticsearch clusters on loopback for the cluster tests, started
 * through infra/kafka.sh and infra/elasticsearch.sh with `--nodes N --base-port P`. Node i of a
 * Kafka cluster listens on P+i-1 (controller P+100+i-1) and has node.id i; node i of an
 * Elasticsearch cluster answers HTTP on P+i-1 (transport P+100+i-1). Each node can be killed
 * (SIGKILL) and started again on its own, which is what the fault tests do.
 */
import { Kafka, logLevel } from 'kafkajs';
import { infra, InfraScript, isListening } from '../infra-servers';

export interface ClusterOptions {
  /** First node's broker or HTTP port; the next nodes take the ports after it. */
  basePort: number;
  nodes?: number;
}

export interface ClusterNode {
  /** 1..N; also the Kafka node.id. */
  index: number;
  port: number;
  /** Kafka: `kafka-<index>`; Elasticsearch: the node name that `_cat` APIs report. */
  name: string;
  /** SIGKILL: no clean shutdown, as a crash would leave it. */
  kill(): Promise<void>;
  /** Starts this node again and waits until it is back in the cluster. */
  start(): Promise<void>;
  isUp(): Promise<boolean>;
}

export interface KafkaCluster {
  brokers: string[];
  basePort: number;
  nodes: ClusterNode[];
}

export interface ElasticsearchCluster {
  /** The first node's URL, as ELASTICSEARCH_URL would hold it. */
  url: string;
  basePort: number;
  nodes: ClusterNode[];
}

/** Clusters this module started (by script and base port): the only ones it will stop. */
const started = new Set<string>();

function scriptArgs(nodes: number, basePort: number): string[] {
  return ['--nodes', String(nodes), '--base-port', String(basePort)];
}

interface NodeKind {
  script: InfraScript;
  name: (index: number, port: number) => string;
  isUp: (port: number) => Promise<boolean>;
}

function clusterNodes({ script, name, isUp }: NodeKind, nodes: number, basePort: number): ClusterNode[] {
  return Array.from({ length: nodes }, (_, i) => {
    const index = i + 1;
    const port = basePort + i;
    const args = [...scriptArgs(nodes, basePort), '--node', String(index)];
    return {
      index,
      port,
      name: name(index, port),
      kill: () => infra(script, 'kill', {}, args),
      start: () => infra(script, 'start', {}, args),
      isUp: () => isUp(port),
    };
  });
}

async function ensureCluster(script: InfraScript, nodes: ClusterNode[], basePort: number): Promise<void> {
  const up = await Promise.all(nodes.map((node) => node.isUp()));
  if (up.every(Boolean)) return;
  // The script starts only the nodes that are down, and waits until the cluster is whole.
  try {
    await infra(script, 'start', {}, scriptArgs(nodes.length, basePort));
  } catch (error) {
    // Half a cluster of our own would outlive the failed test run; someone else's is left alone.
    if (!up.some(Boolean)) await infra(script, 'stop', {}, scriptArgs(nodes.length, basePort)).catch(() => undefined);
    throw error;
  }
  started.add(`${script}:${basePort}`);
}

async function stopCluster(script: InfraScript, cluster: { basePort: number; nodes: ClusterNode[] }, purge: boolean): Promise<void> {
  const key = `${script}:${cluster.basePort}`;
  if (!started.has(key)) return;
  await infra(script, purge ? 'purge' : 'stop', {}, scriptArgs(cluster.nodes.length, cluster.basePort));
  started.delete(key);
}

/** A Kafka cluster of `nodes` brokers (3 by default), each also a KRaft controller. */
export async function ensureKafkaCluster({ basePort, nodes = 3 }: ClusterOptions): Promise<KafkaCluster> {
  const handles = clusterNodes({ script: 'kafka.sh', name: (index) => `kafka-${index}`, isUp: (port) => isListening(port) }, nodes, basePort);
  await ensureCluster('kafka.sh', handles, basePort);
  return { brokers: handles.map((node) => `127.0.0.1:${node.port}`), basePort, nodes: handles };
}

/** Stops the cluster if this module started it; `purge` also deletes its data (a throwaway cluster). */
export async function stopKafkaCluster(cluster: KafkaCluster, { purge = false } = {}): Promise<void> {
  await stopCluster('kafka.sh', cluster, purge);
}

/** True when the node answers and is part of a cluster with an elected master. */
async function elasticsearchNodeUp(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_cluster/health?timeout=1s`, { signal: AbortSignal.timeout(3_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** An Elasticsearch cluster of `nodes` master-eligible data nodes (3 by default), green when returned. */
export async function ensureElasticsearchCluster({ basePort, nodes = 3 }: ClusterOptions): Promise<ElasticsearchCluster> {
  const handles = clusterNodes({ script: 'elasticsearch.sh', name: (_, port) => `elasticsearch-${port}`, isUp: elasticsearchNodeUp }, nodes, basePort);
  await ensureCluster('elasticsearch.sh', handles, basePort);
  const url = `http://127.0.0.1:${basePort}`;
  // The script names nodes after engine and port; ask rather than assume the engine.
  const named = await getJson<{ name: string; http_address: string }[]>(url, '/_cat/nodes?format=json&h=name,http_address');
  for (const node of handles) node.name = named.find((n) => n.http_address.endsWith(`:${node.port}`))?.name ?? node.name;
  return { url, basePort, nodes: handles };
}

export async function stopElasticsearchCluster(cluster: ElasticsearchCluster, { purge = false } = {}): Promise<void> {
  await stopCluster('elasticsearch.sh', cluster, purge);
}

/**
 * A base port with `nodes` free ports from it and `nodes` free ports from it + 100 (controllers or
 * transport), below the ephemeral range so that no outgoing connection takes one meanwhile.
 */
export async function freeBasePort(nodes = 3, from = 20_000, to = 32_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from - 200));
    const ports = Array.from({ length: nodes }, (_, i) => [base + i, base + 100 + i]).flat();
    const taken = await Promise.all(ports.map((port) => isListening(port)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error(`no free range of ${nodes} ports between ${from} and ${to}`);
}

export interface LeaderCount {
  nodeId: number;
  leaders: number;
}

/** How many partitions each broker leads (all topics unless given), most first; leaderless ones are left out. */
export async function kafkaLeaderCounts(brokers: string[], topics?: string[]): Promise<LeaderCount[]> {
  const admin = new Kafka({ brokers, clientId: 'cluster-servers', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { brokers: members } = await admin.describeCluster();
    const counts = new Map(members.map((broker) => [broker.nodeId, 0]));
    const metadata = await admin.fetchTopicMetadata({ topics: topics ?? (await admin.listTopics()) });
    for (const partition of metadata.topics.flatMap((topic) => topic.partitions)) {
      if (partition.leader >= 0) counts.set(partition.leader, (counts.get(partition.leader) ?? 0) + 1);
    }
    return [...counts].map(([nodeId, leaders]) => ({ nodeId, leaders })).sort((a, b) => b.leaders - a.leaders || a.nodeId - b.nodeId);
  } finally {
    await admin.disconnect();
  }
}

export interface PrimaryCount {
  node: string;
  primaries: number;
}

/** How many started primary shards each node holds (all indices unless given), most first. */
export async function elasticsearchPrimaryCounts(url: string, index?: string): Promise<PrimaryCount[]> {
  const nodes = await getJson<{ name: string }[]>(url, '/_cat/nodes?format=json&h=name');
  const counts = new Map(nodes.map(({ name }) => [name, 0]));
  const path = `/_cat/shards${index ? `/${encodeURIComponent(index)}` : ''}?format=json&h=prirep,state,node`;
  for (const shard of await getJson<{ prirep: string; state: string; node: string | null }[]>(url, path)) {
    if (shard.prirep === 'p' && shard.state === 'STARTED' && shard.node) counts.set(shard.node, (counts.get(shard.node) ?? 0) + 1);
  }
  return [...counts].map(([node, primaries]) => ({ node, primaries })).sort((a, b) => b.primaries - a.primaries || a.node.localeCompare(b.node));
}

async function getJson<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
