import { Kafka, logLevel } from 'kafkajs';
import { ensureElasticsearch, ensureKafka } from './infra-servers';

jest.setTimeout(10 * 60_000);

// The servers the integration suite runs against, as infra/ starts them: real, on loopback,
// configured for tests. These fail (never skip) when a server cannot be had.
describe('infra servers', () => {
  it('gives a Kafka broker that answers and has a controller', async () => {
    const { brokers } = await ensureKafka();
    const admin = new Kafka({ brokers, clientId: 'infra-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toHaveLength(1);
      expect(cluster.brokers[0]).toMatchObject({ host: '127.0.0.1', port: Number(brokers[0].split(':')[1]) });
    } finally {
      await admin.disconnect();
    }
  });

  it('gives an Elasticsearch node without security that ignores disk watermarks', async () => {
    const { url } = await ensureElasticsearch();
    const health = (await (await fetch(`${url}/_cluster/health`)).json()) as { status: string };
    expect(['green', 'yellow']).toContain(health.status);
    // Plain HTTP without credentials works: security is off on loopback.
    const settings = (await (await fetch(`${url}/_cluster/settings?include_defaults=true&flat_settings=true`)).json()) as Record<
      'defaults' | 'persistent' | 'transient',
      Record<string, string>
    >;
    const effective = { ...settings.defaults, ...settings.persistent, ...settings.transient };
    expect(effective['xpack.security.enabled']).toBe('false');
    expect(effective['cluster.routing.allocation.disk.threshold_enabled']).toBe('false');
  });
});
