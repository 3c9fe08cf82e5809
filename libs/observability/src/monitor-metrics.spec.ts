import { MonitorMetrics } from './monitor-metrics';
import { PipelineActivity, mergeActivitySnapshots } from './pipeline-activity';

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

describe('mergeActivitySnapshots', () => {
  it('adds the rates and dead-letter counts of several processes and keeps the newest records', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const classifier = new PipelineActivity();
    const indexerA = new PipelineActivity();
    const indexerB = new PipelineActivity();
    classifier.recordEvents('classifier', 30, now - 2_000);
    classifier.recordDeadLetter({ topic: 'news.raw.v1.dlq', reason: 'older', key: 'a', at: '2026-11-28T11:00:00.000Z' });
    indexerA.recordEvents('indexer', 10, now);
    indexerB.recordEvents('indexer', 10, now - 1_000);
    indexerB.recordEvents('indexer', 500, now - 60_000);
    indexerB.recordDeadLetter({ topic: 'news.classified.v1.dlq', reason: 'newer', key: 'b', at: '2026-11-28T11:30:00.000Z' });
    indexerB.recordDeadLetter({ topic: 'news.raw.v1.dlq', reason: 'newest', key: 'c', at: '2026-11-28T11:45:00.000Z' });

    const merged = mergeActivitySnapshots([classifier.snapshot(now), indexerA.snapshot(now), indexerB.snapshot(now)]);
    // 10-second window: the burst a minute ago no longer counts.
    expect(merged.eventsPerSecond).toEqual({ classifier: 3, indexer: 2 });
    expect(merged.deadLetters.counts).toEqual({ 'news.raw.v1.dlq': 2, 'news.classified.v1.dlq': 1 });
    expect(merged.deadLetters.latest.map((d) => d.reason)).toEqual(['newest', 'newer', 'older']);
    expect(merged.lastBulk).toBeNull();
  });
});
