import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfig } from '@monitor/config';

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
    const services = parse(resolved).services as Record<string, { command: string[] }>;
    for (const service of ['collector', 'classifier', 'indexer', 'alerter', 'api']) {
      // The image's compiled JavaScript (infra/Dockerfile, npm run build), with plain node.
      expect(services[service].command).toEqual(['node', '--enable-source-maps', `dist/services/${service}/src/main.js`]);
    }
    expect(resolved).not.toContain('@swc-node/register');
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
      expect(services.api.environment[variable]).toBe(`http://${service}:${services[service].environment.PORT}`);
    }
  });

  it('sets each service’s port in PORT, the variable the configuration reads, and checks readiness on it', async () => {
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root });
    const services = parse(stdout).services as Record<string, { environment: Record<string, string>; healthcheck: { test: string[] } }>;
    const ports = new Set<number>();
    for (const service of ['collector', 'classifier', 'indexer', 'alerter', 'api']) {
      const { environment, healthcheck } = services[service];
      // The service's whole environment passes the start-up validation, and the port it listens on is PORT.
      expect({ service, port: loadConfig(environment).PORT }).toEqual({ service, port: Number(environment.PORT) });
      ports.add(Number(environment.PORT));
      // Compose's health is readiness (/ready: Kafka and Elasticsearch answer), asked on that port.
      expect(healthcheck.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      expect(healthcheck.test[3]).toContain("'http://127.0.0.1:' + process.env.PORT + '/ready'");
    }
    expect(ports.size).toBe(5);
    expect(stdout).not.toContain('SERVICE_PORT');
  });
});
