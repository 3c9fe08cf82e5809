import { Client, WeightedConnectionPool } from '@elastic/elasticsearch';

type GetConnectionOptions = Parameters<WeightedConnectionPool['getConnection']>[0];

/**
 * The client's default pool (weighted round robin) with one repair. When every node of a cluster
 * has failed (Elasticsearch stopped, or unreachable), each node's weight drops to 1 while the
 * round robin's current weight stays where it was (about 1000 / nodes) and falls by one per pass
 * over the nodes: for a few hundred requests after the cluster is back, the pool offers no node
 * and the client answers "There are no living connections" without trying one. A stage that
 * retries its batch every half minute stays stuck for hours. Here such a request starts the round
 * again from the heaviest node, so that the nodes are tried, and the first answer revives its node.
 */
export class RecoveringConnectionPool extends WeightedConnectionPool {
  override getConnection(opts: GetConnectionOptions) {
    const connection = super.getConnection(opts);
    if (connection || this.size === 0) return connection;
    this.currentWeight = 0;
    this.index = -1;
    return super.getConnection(opts);
  }
}

/** The process's client for ELASTICSEARCH_URL: one node's URL or several, comma-separated. */
export function elasticClient(urls: string): Client {
  return new Client({
    node: urls.split(',').map((url) => url.trim()),
    ConnectionPool: RecoveringConnectionPool,
    requestTimeout: 30_000,
    maxRetries: 2,
  });
}
