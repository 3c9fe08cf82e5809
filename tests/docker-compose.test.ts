import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);
jest.setTimeout(60_000);
const root = join(__dirname, '..');

// No Docker engine here, but `docker-compose config` (Debian's docker-compose package) checks the
// file against the Compose schema and resolves anchors and variables. A missing tool fails the
// test: CI installs the package.
describe('docker-compose.yml', () => {
  it('validates with docker-compose config', async () => {
    const result = await run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root });
    expect(result.stderr).toBe('');
  });

  it('runs the five services against Kafka and Elasticsearch in stack mode', async () => {
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], { cwd: root });
    expect(stdout.trim().split('\n').sort()).toEqual(['alerter', 'api', 'classifier', 'collector', 'elasticsearch', 'grafana', 'indexer', 'kafka', 'prometheus']);
    const { stdout: resolved } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root });
    for (const service of ['collector', 'classifier', 'indexer', 'alerter', 'api']) {
      expect(resolved).toContain(`services/${service}/src/main.ts`);
    }
    expect(resolved.match(/MONITOR_MODE: stack/g)).toHaveLength(5);
    expect(resolved.match(/KAFKA_BROKERS: kafka:9092/g)).toHaveLength(5);
  });

  it('gives the collector, alerter and api one state volume, and the api every stage’s address', async () => {
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root });
    type Volume = string | { source: string; target: string };
    const services = parse(stdout).services as Record<string, { environment: Record<string, string>; volumes?: Volume[] }>;
    // docker-compose 1.x prints the short form (`name:/data:rw`), Compose v2 the long one.
    const mount = (volume: Volume) => (typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume);
    const stateVolume = (service: string) => services[service].volumes?.map(mount).find((volume) => volume.target === '/data')?.source;
    expect(stateVolume('collector')).toBeDefined();
    expect(stateVolume('alerter')).toBe(stateVolume('collector'));
    expect(stateVolume('api')).toBe(stateVolume('collector'));
    for (const [variable, service] of [['COLLECTOR_URL', 'collector'], ['CLASSIFIER_URL', 'classifier'], ['INDEXER_URL', 'indexer'], ['ALERTER_URL', 'alerter']]) {
      expect(services.api.environment[variable]).toBe(`http://${service}:${services[service].environment.SERVICE_PORT}`);
    }
  });
});
