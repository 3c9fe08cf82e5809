import { ConsumerLagWatcher } from './consumer-lag-watcher';
import { MonitorMetrics } from './monitor-metrics';

describe('ConsumerLagWatcher', () => {
  it('sets the lag gauge per group and partition, and keeps the last good reading when the broker does not answer', async () => {
    const metrics = new MonitorMetrics({ service: 'api', defaultMetrics: false });
    let broken = false;
    const watcher = new ConsumerLagWatcher({
      consumers: [{ group: 'indexer', topic: 'news.classified.v1' }],
      metrics,
      read: async (group, topic) => {
        if (broken) throw new Error('broker unreachable');
        return [{ group, topic, partition: 0, lag: 7 }];
      },
    });
    await watcher.refresh();
    expect(watcher.snapshot()).toMatchObject({ rows: [{ partition: 0, lag: 7 }], error: null });
    expect((await metrics.expose()).body).toMatch(/monitor_consumer_lag\{group="indexer",topic="news.classified.v1",partition="0",service="api"\} 7/);
    broken = true;
    await watcher.refresh();
    expect(watcher.snapshot()).toMatchObject({ rows: [{ lag: 7 }], error: 'indexer: broker unreachable' });
  });
});
