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

  it('shares no volume between the five services (state is in Kafka and Elasticsearch), and gives the api every stage’s address', async () => {
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root });
    type Volume = string | { source: string; target: string };
    const services = parse(stdout).services as Record<string, { environment: Record<string, string>; volumes?: Volume[]; ports?: unknown[] }>;
    for (const service of ['collector', 'classifier', 'indexer', 'alerter', 'api']) {
      expect({ service, volumes: services[service].volumes ?? [] }).toEqual({ service, volumes: [] });
      expect(services[service].environment.DATA_DIR).toBeUndefined();
    }
    // `--scale` needs workers without a fixed host port.
    for (const service of ['collector', 'classifier', 'indexer', 'alerter']) expect(services[service].ports).toBeUndefined();
    for (const [variable, service] of [['COLLECTOR_URL', 'collector'], ['CLASSIFIER_URL', 'classifier'], ['INDEXER_URL', 'indexer'], ['ALERTER_URL', 'alerter']]) {
      expect(services.api.environment[variable]).toBe(`http://${service}:${services[service].environment.SERVICE_PORT}`);
    }
  });
});
