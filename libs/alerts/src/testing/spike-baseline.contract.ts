import { TopicId } from '@monitor/contracts';
import { SpikeBaselineStore, TopicDayArticle } from '../spike-baseline.port';

export interface SpikeBaselineContext {
  /** An empty store. */
  create(): Promise<SpikeBaselineStore> | SpikeBaselineStore;
}

const seen = (topic: TopicId, articleId: string, publishedAt: string): TopicDayArticle => ({
  topic, articleId, day: publishedAt.slice(0, 10), title: `Title ${articleId}`, url: `https://news.example.org/${articleId}`, publishedAt,
});

/** The behaviour every adapter of the spike baselines must show, written against the port only. */
export function describeSpikeBaselineContract(name: string, context: SpikeBaselineContext): void {
  describe(`SpikeBaselineStore contract: ${name}`, () => {
    it('remembers the day it began watching, from the first observation on', async () => {
      const store = await context.create();
      expect(await store.watchedSince()).toBeNull();
      await store.observe([], '2025-03-01');
      await store.observe([seen('precursors', 'a1', '2025-02-20T10:00:00Z')], '2025-03-05');
      expect(await store.watchedSince()).toBe('2025-03-01');
    });

    it('counts each article once per topic and day, within the days asked for', async () => {
      const store = await context.create();
      const batch = [
        seen('precursors', 'a1', '2025-03-01T10:00:00Z'),
        seen('precursors', 'a2', '2025-03-01T11:00:00Z'),
        seen('golden-triangle', 'a2', '2025-03-01T11:00:00Z'),
        seen('precursors', 'a3', '2025-03-02T09:00:00Z'),
        seen('precursors', 'a4', '2025-03-04T09:00:00Z'),
      ];
      await store.observe(batch, '2025-03-01');
      await store.observe(batch.slice(0, 2), '2025-03-02');
      const byKey = (rows: Array<{ topic: string; day: string; count: number }>) => rows.map((r) => `${r.topic} ${r.day} ${r.count}`).sort();
      expect(byKey(await store.dailyCounts('2025-03-01', '2025-03-02'))).toEqual([
        'golden-triangle 2025-03-01 1',
        'precursors 2025-03-01 2',
        'precursors 2025-03-02 1',
      ]);
      expect(byKey(await store.dailyCounts('2025-03-02', '2025-03-04'))).toEqual(['precursors 2025-03-02 1', 'precursors 2025-03-04 1']);
    });

    it('lists a topic\'s articles of a day, newest published first, up to the limit', async () => {
      const store = await context.create();
      await store.observe(
        [seen('precursors', 'a1', '2025-03-01T08:00:00Z'), seen('precursors', 'a2', '2025-03-01T12:00:00Z'), seen('precursors', 'a3', '2025-03-01T10:00:00Z'), seen('golden-triangle', 'a4', '2025-03-01T23:00:00Z')],
        '2025-03-01',
      );
      expect(await store.articlesOn('precursors', '2025-03-01', 2)).toEqual([
        { id: 'a2', title: 'Title a2', url: 'https://news.example.org/a2' },
        { id: 'a3', title: 'Title a3', url: 'https://news.example.org/a3' },
      ]);
      expect(await store.articlesOn('precursors', '2025-03-02', 10)).toEqual([]);
    });

    it('counts every topic and day of a long window, not only the first few', async () => {
      const store = await context.create();
      const days = Array.from({ length: 15 }, (_, i) => `2025-03-${String(i + 1).padStart(2, '0')}`);
      await store.observe(
        days.flatMap((day, i) => Array.from({ length: i + 1 }, (_, n) => seen(n % 2 ? 'precursors' : 'golden-triangle', `a${i}-${n}`, `${day}T10:00:00Z`))),
        '2025-03-01',
      );
      const counts = await store.dailyCounts('2025-03-01', '2025-03-15');
      expect(counts).toHaveLength(29);
      expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(120);
      expect(counts.find((c) => c.topic === 'golden-triangle' && c.day === '2025-03-15')?.count).toBe(8);
    });

    it('two replicas observing the same articles at once count each once, and agree on when watching began', async () => {
      const store = await context.create();
      const batch = Array.from({ length: 10 }, (_, i) => seen('precursors', `a${i}`, '2025-03-01T10:00:00Z'));
      await Promise.all([store.observe(batch, '2025-03-01'), store.observe([...batch].reverse(), '2025-03-01')]);
      expect(await store.dailyCounts('2025-03-01', '2025-03-01')).toEqual([{ topic: 'precursors', day: '2025-03-01', count: 10 }]);
      expect(await store.watchedSince()).toBe('2025-03-01');
    });
  });
}
