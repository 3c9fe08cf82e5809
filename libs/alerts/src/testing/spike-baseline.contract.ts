import { TopicId } from '@monitor/contracts';
import { SpikeBaselineStore, TopicDayArticle } from '../spike-baseline.port';

export interface SpikeBaselineContext {
  /** An empty store. */
  create(): SpikeBaselineStore;
}

const seen = (topic: TopicId, articleId: string, publishedAt: string): TopicDayArticle => ({
  topic, articleId, day: publishedAt.slice(0, 10), title: `Title ${articleId}`, url: `https://news.example.org/${articleId}`, publishedAt,
});

/** The behaviour every adapter of the spike baselines must show, written against the port only. */
export function describeSpikeBaselineContract(name: string, context: SpikeBaselineContext): void {
  describe(`SpikeBaselineStore contract: ${name}`, () => {
    it('remembers the day it began watching, from the first observation on', () => {
      const store = context.create();
      expect(store.watchedSince()).toBeNull();
      store.observe([], '2025-03-01');
      store.observe([seen('precursors', 'a1', '2025-02-20T10:00:00Z')], '2025-03-05');
      expect(store.watchedSince()).toBe('2025-03-01');
    });

    it('counts each article once per topic and day, within the days asked for', () => {
      const store = context.create();
      const batch = [
        seen('precursors', 'a1', '2025-03-01T10:00:00Z'),
        seen('precursors', 'a2', '2025-03-01T11:00:00Z'),
        seen('golden-triangle', 'a2', '2025-03-01T11:00:00Z'),
        seen('precursors', 'a3', '2025-03-02T09:00:00Z'),
        seen('precursors', 'a4', '2025-03-04T09:00:00Z'),
      ];
      store.observe(batch, '2025-03-01');
      store.observe(batch.slice(0, 2), '2025-03-02');
      const byKey = (rows: Array<{ topic: string; day: string; count: number }>) => rows.map((r) => `${r.topic} ${r.day} ${r.count}`).sort();
      expect(byKey(store.dailyCounts('2025-03-01', '2025-03-02'))).toEqual([
        'golden-triangle 2025-03-01 1',
        'precursors 2025-03-01 2',
        'precursors 2025-03-02 1',
      ]);
      expect(byKey(store.dailyCounts('2025-03-02', '2025-03-04'))).toEqual(['precursors 2025-03-02 1', 'precursors 2025-03-04 1']);
    });

    it('lists a topic\'s articles of a day, newest published first, up to the limit', () => {
      const store = context.create();
      store.observe(
        [seen('precursors', 'a1', '2025-03-01T08:00:00Z'), seen('precursors', 'a2', '2025-03-01T12:00:00Z'), seen('precursors', 'a3', '2025-03-01T10:00:00Z'), seen('golden-triangle', 'a4', '2025-03-01T23:00:00Z')],
        '2025-03-01',
      );
      expect(store.articlesOn('precursors', '2025-03-01', 2)).toEqual([
        { id: 'a2', title: 'Title a2', url: 'https://news.example.org/a2' },
        { id: 'a3', title: 'Title a3', url: 'https://news.example.org/a3' },
      ]);
      expect(store.articlesOn('precursors', '2025-03-02', 10)).toEqual([]);
    });
  });
}
