import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MonitorMetrics } from '@monitor/observability';
import { REPO_ROOT } from './support/monitor-process';

// Prometheus and Grafana are not run here (no Docker engine); what can drift is checked instead:
// every service is scraped on the port it listens on, and every query of the provisioned
// dashboard names a metric the services really export.
describe('Prometheus and Grafana provisioning', () => {
  const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
  const prometheus = parse(readFileSync(join(REPO_ROOT, 'infra/prometheus/prometheus.yml'), 'utf8'));

  it('scrapes /metrics of the five services on the ports they listen on in the stack', () => {
    const targets: string[] = prometheus.scrape_configs.flatMap((job: { static_configs: Array<{ targets: string[] }> }) => job.static_configs.flatMap((c) => c.targets));
    const expected = ['collector', 'classifier', 'indexer', 'alerter', 'api'].map((service) => `${service}:${compose.services[service].environment.PORT}`);
    expect(targets.sort()).toEqual(expected.sort());
    expect(compose.services.prometheus.volumes).toContain('./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('charts only metrics that MonitorMetrics defines, from the provisioned data source', async () => {
    const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/grafana/dashboards/drug-control-monitor.json'), 'utf8'));
    const datasource = parse(readFileSync(join(REPO_ROOT, 'infra/grafana/provisioning/datasources/prometheus.yml'), 'utf8')).datasources[0];
    const defined = new Set((await new MonitorMetrics({ service: 'test', defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name));
    const panels = dashboard.panels.filter((p: { type: string }) => p.type !== 'row');
    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.datasource.uid).toBe(datasource.uid);
      for (const target of panel.targets) {
        for (const name of target.expr.match(/monitor_[a-z_]+/g) ?? []) used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    for (const name of used) expect(defined).toContain(name);
    // Every metric of the monitor is on the dashboard.
    expect([...defined].sort()).toEqual([...used].sort());
  });
});
