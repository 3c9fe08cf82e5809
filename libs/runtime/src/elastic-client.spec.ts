import { Client, errors } from '@elastic/elasticsearch';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { elasticClient } from './elastic-client';

/** Ports nothing listens on: the nodes of a cluster that is down. */
async function deadPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push((server.address() as AddressInfo).port);
    await new Promise((resolve) => server.close(resolve));
  }
  return ports;
}

/** One node back: it answers every request as Elasticsearch would a count. */
async function nodeBack(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(JSON.stringify({ count: 7, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** What a stage does while the cluster is down: it keeps trying, and every node is marked dead again and again. */
async function throughOutage(client: Client): Promise<void> {
  for (let i = 0; i < 20; i++) await expect(client.count({ index: 'articles' })).rejects.toThrow();
}

describe('elasticClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('reaches a node as soon as it is back after every node of the cluster was down', async () => {
    const ports = await deadPorts(3);
    const client = elasticClient(ports.map((port) => `http://127.0.0.1:${port}`).join(', '));
    await throughOutage(client);
    server = await nodeBack(ports[1]);
    for (let i = 0; i < 5; i++) await expect(client.count({ index: 'articles' })).resolves.toMatchObject({ count: 7 });
    await client.close();
  });

  // What the repair is for: the client's own pool offers no node for hundreds of requests after such an outage.
  it('is needed: the default pool answers "no living connections" after the same outage', async () => {
    const ports = await deadPorts(3);
    const client = new Client({ node: ports.map((port) => `http://127.0.0.1:${port}`), maxRetries: 2 });
    await throughOutage(client);
    server = await nodeBack(ports[1]);
    await expect(client.count({ index: 'articles' })).rejects.toBeInstanceOf(errors.NoLivingConnectionsError);
    await client.close();
  });
});
