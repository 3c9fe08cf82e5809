import { buildTopicTimeline, timelineStart } from './topic-timeline';

// A stand-in for the alerts lib's test: "at least 5 and more than twice the baseline mean".
const isSpike = (count: number, baseline: number[]) => {
  const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
  return { isSpike: count >= 5 && count > 2 * mean, threshold: Math.max(5, 2 * mean), mean };
};

describe('buildTopicTimeline', () => {
  const now = new Date('2026-11-20T15:00:00Z');

  it('asks the store for the window plus the baseline before it', () => {
    expect(timelineStart({ days: 7, baselineDays: 14, now })).toBe('2026-10-31');
  });

  it('fills missing days with zero, keeps taxonomy topics without articles, and marks spikes against the trailing baseline', () => {
    const counts = [
      { topic: 'precursors', day: '2026-11-10', count: 1 },
      { topic: 'precursors', day: '2026-11-18', count: 1 },
      { topic: 'precursors', day: '2026-11-20', count: 9 },
      { topic: 'golden-triangle', day: '2026-11-19', count: 2 },
    ];
    const timeline = buildTopicTimeline(counts, { days: 7, baselineDays: 14, now, isSpike, topics: ['golden-triangle', 'precursors', 'narcoterrorism'] });
    expect(timeline.days).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    const precursors = timeline.topics.find((t) => t.topic === 'precursors')!;
    expect(precursors.counts).toEqual([0, 0, 0, 0, 1, 0, 9]);
    // Nov 10 is in the baseline, not in the shown window, so it is not in the total.
    expect(precursors.total).toBe(10);
    expect(precursors.spikes).toEqual([{ day: '2026-11-20', count: 9, mean: 0.14, threshold: 5 }]);
    expect(timeline.topics.find((t) => t.topic === 'golden-triangle')!.spikes).toEqual([]);
    expect(timeline.topics.find((t) => t.topic === 'narcoterrorism')).toMatchObject({ total: 0, counts: [0, 0, 0, 0, 0, 0, 0] });
  });
});
