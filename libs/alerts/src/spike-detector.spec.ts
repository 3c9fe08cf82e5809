import { SpikeDetector, spikeStats } from './spike-detector';
import { MemorySpikeBaselines } from './testing/memory-spike-baselines';
import { sampleArticle } from './testing/sample-articles';

describe('spikeStats', () => {
  it('needs both the minimum count and a jump above mean + k * stddev', () => {
    const quiet = [1, 2, 1, 0, 2, 1, 1, 2, 1, 0, 1, 2, 1, 1];
    expect(spikeStats(12, quiet).isSpike).toBe(true);
    expect(spikeStats(4, quiet).isSpike).toBe(false);
    expect(spikeStats(3, [0, 0, 0], { minCount: 3 }).isSpike).toBe(true);
    expect(spikeStats(5, [5, 5, 5, 5]).isSpike).toBe(false);
    const noisy = [2, 20, 3, 18, 1, 22, 4, 19, 2, 21, 3, 17, 2, 20];
    expect(spikeStats(25, noisy).isSpike).toBe(false);
  });
});

describe('SpikeDetector', () => {
  const day = (d: number) => `2025-03-${String(d).padStart(2, '0')}`;

  it('reports the topic that jumped on a day, with the articles behind the jump, counting each article once', async () => {
    const detector = new SpikeDetector(new MemorySpikeBaselines());
    await detector.observe([], new Date('2025-02-01T00:00:00Z'));
    for (let d = 1; d <= 14; d++) {
      await detector.observe([sampleArticle({ publishedAt: `${day(d)}T10:00:00Z`, topics: [['precursors', 2]] })]);
    }
    const burst = Array.from({ length: 8 }, (_, i) =>
      sampleArticle({ title: `Precursor shipment ${i}`, publishedAt: `${day(15)}T0${i}:00:00Z`, topics: [['precursors', 3], ['golden-triangle', 1]] }),
    );
    await detector.observe(burst);
    await detector.observe(burst);
    const spikes = await detector.detect(day(15));
    expect(spikes.map((s) => [s.topic, s.count])).toEqual([['golden-triangle', 8], ['precursors', 8]]);
    const precursors = spikes.find((s) => s.topic === 'precursors')!;
    expect(precursors.mean).toBe(1);
    expect(precursors.articles.map((a) => a.title)[0]).toBe('Precursor shipment 7');
    expect(precursors.articles).toHaveLength(8);
    expect(await detector.detect(day(14))).toEqual([]);
  });

  it('stays silent until it has watched long enough (no storm on the first run)', async () => {
    const detector = new SpikeDetector(new MemorySpikeBaselines());
    const today = new Date().toISOString();
    await detector.observe(Array.from({ length: 30 }, () => sampleArticle({ publishedAt: today })));
    expect(await detector.detect(today.slice(0, 10))).toEqual([]);
  });
});
