import { MonitorMetrics } from './monitor-metrics';
import { PipelineActivity } from './pipeline-activity';

describe('MonitorMetrics', () => {
  it('exposes counters in Prometheus text format with the service label', async () => {
    const metrics = new MonitorMetrics({ service: 'collector', defaultMetrics: false });
    metrics.polls.inc({ source: 'unodc-en', status: 'ok' });
    const { body, contentType } = await metrics.expose();
    expect(contentType).toMatch(/text\/plain/);
    expect(body).toMatch(/monitor_source_polls_total\{source="unodc-en",status="ok",service="collector"\} 1/);
  });
});

describe('PipelineActivity', () => {
  it('reports recent events per second and the latest dead letters', () => {
    const activity = new PipelineActivity();
    const now = Date.now();
    activity.recordEvents('classifier', 20, now);
    activity.recordDeadLetter({ topic: 'news.raw.v1.dlq', reason: 'url: Invalid', key: 'k', at: new Date(now).toISOString() });
    const snapshot = activity.snapshot(now);
    expect(snapshot.eventsPerSecond.classifier).toBe(2);
    expect(snapshot.deadLetters.counts['news.raw.v1.dlq']).toBe(1);
    expect(snapshot.deadLetters.latest[0].reason).toBe('url: Invalid');
  });
});
