import { buildOpsOverview, sourceRow } from './ops-overview';
import { PipelineActivity } from './pipeline-activity';

const health = (over: object = {}) => ({
  status: 'healthy',
  lastPollAt: '2026-11-20T10:00:00.000Z',
  lastSuccessAt: '2026-11-20T10:00:00.000Z',
  lastError: null,
  consecutiveFailures: 0,
  nextPollAt: '2026-11-20T10:15:00.000Z',
  backingOffUntil: null,
  activeUrl: 'https://example.org/feed',
  activeKind: 'feed',
  itemsLastDay: 3,
  ...over,
});

describe('sourceRow', () => {
  it('turns a failing source red with its reason, and a disabled one grey without a next poll', () => {
    const failing = sourceRow({
      id: 'a',
      name: 'A',
      enabled: true,
      health: health({ status: 'failing', lastError: { code: 'FETCH_HTTP_STATUS', message: 'HTTP 500' }, consecutiveFailures: 2, backingOffUntil: '2026-11-20T10:02:00.000Z' }),
    });
    expect(failing).toMatchObject({ severity: 'error', reason: 'FETCH_HTTP_STATUS: HTTP 500', backingOffUntil: '2026-11-20T10:02:00.000Z' });
    expect(sourceRow({ id: 'b', name: 'B', enabled: false, health: health() })).toMatchObject({ status: 'disabled', severity: 'idle', nextPollAt: null });
    expect(sourceRow({ id: 'c', name: 'C', enabled: true })).toMatchObject({ status: 'pending', severity: 'idle', itemsLastDay: 0 });
  });

  it('keeps a source whose article pages were not all read green, with the first reason and how many more', () => {
    const page = (n: number) => ({ url: `https://example.org/p/${n}`, code: 'ROBOTS_DISALLOWED', message: `not fetched: https://example.org/robots.txt disallows https://example.org/p/${n} for drug-control-monitor` });
    expect(sourceRow({ id: 'a', name: 'A', enabled: true, health: health({ pagesNotRead: [page(1)] }) })).toMatchObject({
      status: 'healthy', severity: 'ok', pagesNotRead: 1,
      reason: 'ROBOTS_DISALLOWED: not fetched: https://example.org/robots.txt disallows https://example.org/p/1 for drug-control-monitor',
    });
    expect(sourceRow({ id: 'a', name: 'A', enabled: true, health: health({ pagesNotRead: [page(1), page(2), page(3)] }) }).reason).toMatch(/p\/1 for drug-control-monitor \(and 2 more article pages not read\)$/);
    expect(sourceRow({ id: 'a', name: 'A', enabled: true, health: health() })).toMatchObject({ reason: null, pagesNotRead: 0 });
  });
});

describe('buildOpsOverview', () => {
  it('shows a story alert with its story, one row per story however many subscriptions it alerted', () => {
    const story = {
      id: 'story-' + '1'.repeat(20), title: 'SCO meeting', articleCount: 3, languages: ['en', 'ru', 'zh'], sources: ['sco-en', 'sco-ru', 'sco-zh'],
      topics: ['anti-drug-cooperation' as const], firstSeen: '2026-11-20T09:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z',
    };
    const alert = (id: string, kind: string, articleId: string, subscriptionId: string) => ({
      id, kind, articleId, storyId: story.id, story, title: 'SCO meeting', subscriptionId, ownerKeyId: `owner-${subscriptionId}`, topics: [], createdAt: '2026-11-20T10:00:00.000Z',
    });
    const overview = buildOpsOverview({
      sources: [],
      activity: new PipelineActivity().snapshot(),
      lag: { rows: [], checkedAt: null, error: null },
      alerts: [alert('al1', 'story', 'a'.repeat(32), 's1'), alert('al2', 'story', 'b'.repeat(32), 's2'), alert('al3', 'story.updated', 'c'.repeat(32), 's1')],
      deliveries: [],
    });
    expect(overview.alerts.recent.map((a) => [a.kind, a.storyId, a.subscriptions])).toEqual([
      ['story', story.id, 2],
      ['story.updated', story.id, 1],
    ]);
    expect(overview.alerts.recent[0].story).toEqual(story);
  });

  it('puts broken sources first, groups lag by consumer, merges alerts per article without owners, and counts deliveries per channel', () => {
    const activity = new PipelineActivity();
    activity.recordDeadLetter({ topic: 'news.raw.v1.dlq', reason: 'url: Invalid', key: 'k1', at: '2026-11-20T10:00:00.000Z' });
    const alert = (id: string, subscriptionId: string) => ({
      id,
      kind: 'article',
      articleId: 'a'.repeat(32),
      title: '<b>Seizure</b>',
      subscriptionId,
      ownerKeyId: `owner-${subscriptionId}`,
      topics: [{ id: 'precursors', score: 12, evidence: [] }],
      createdAt: '2026-11-20T10:00:00.000Z',
    });
    const overview = buildOpsOverview({
      now: new Date('2026-11-20T10:01:00Z'),
      sources: [
        { id: 'ok', name: 'Ok', enabled: true, health: health() },
        { id: 'broken', name: 'Broken', enabled: true, health: health({ status: 'failing', lastError: { code: 'FEED_MALFORMED', message: 'not a feed' } }) },
      ],
      activity: activity.snapshot(),
      lag: {
        rows: [
          { group: 'indexer', topic: 'news.classified.v1', partition: 1, lag: 4 },
          { group: 'indexer', topic: 'news.classified.v1', partition: 0, lag: 2 },
        ],
        checkedAt: '2026-11-20T10:00:59.000Z',
        error: null,
      },
      alerts: [alert('al1', 's1'), alert('al2', 's2')],
      deliveries: [
        { alertId: 'al1', channel: 'webhook', status: 'failed', attempts: 6, lastError: 'HTTP 500 (after 6 attempts)', updatedAt: '2026-11-20T10:00:30.000Z' },
        { alertId: 'al2', channel: 'webhook', status: 'delivered', attempts: 1, lastError: null, updatedAt: '2026-11-20T10:00:31.000Z' },
        { alertId: 'al2', channel: 'email', status: 'pending', attempts: 0, lastError: null, updatedAt: '2026-11-20T10:00:31.000Z' },
      ],
    });
    expect(overview.sources).toMatchObject({ total: 2, healthy: 1, failing: 1 });
    expect(overview.sources.items.map((s) => s.id)).toEqual(['broken', 'ok']);
    expect(overview.pipeline.stages.map((s) => s.stage)).toEqual(['collector', 'classifier', 'indexer', 'alerter']);
    expect(overview.pipeline.lag.groups).toEqual([{ group: 'indexer', topic: 'news.classified.v1', total: 6, partitions: [{ partition: 0, lag: 2 }, { partition: 1, lag: 4 }] }]);
    expect(overview.pipeline.deadLetters).toMatchObject({ total: 1, latest: [{ reason: 'url: Invalid' }] });
    expect(overview.alerts.recent).toHaveLength(1);
    expect(overview.alerts.recent[0]).toMatchObject({ title: '<b>Seizure</b>', subscriptions: 2 });
    expect(JSON.stringify(overview.alerts)).not.toMatch(/owner-|ownerKeyId|subscriptionId|evidence/);
    expect(overview.alerts.channels).toEqual([
      { channel: 'webhook', delivered: 1, failed: 1, pending: 0 },
      { channel: 'email', delivered: 0, failed: 0, pending: 1 },
    ]);
    expect(overview.alerts.failures).toEqual([{ alertId: 'al1', channel: 'webhook', attempts: 6, reason: 'HTTP 500 (after 6 attempts)', at: '2026-11-20T10:00:30.000Z' }]);
  });
});
