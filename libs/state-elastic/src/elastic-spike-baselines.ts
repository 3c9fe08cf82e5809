import { estypes } from '@elastic/elasticsearch';
import { TopicId } from '@monitor/contracts';
import { SpikeBaselineStore, TopicDayArticle, TopicDayCount } from '@monitor/alerts';
import { StateDocuments } from './elastic-requests';
import { StateIndices } from './state-indices';

const WATCHED_SINCE_ID = 'topic-volume-watched-since';

/**
 * Topic volume in Elasticsearch: one document per (topic, article), created create-only under an
 * id made of both, so an article seen again (or by two replicas at once) counts once. The day
 * watching began is one document created create-only by the first observation: later ones, from
 * any replica, leave it as it is. Counts are a composite aggregation, paged, so a long window of
 * many topics is counted whole.
 */
export class ElasticSpikeBaselines implements SpikeBaselineStore {
  private readonly docs: StateDocuments;
  private readonly index: string;
  private readonly meta: string;

  constructor(indices: StateIndices) {
    this.docs = new StateDocuments(indices.client);
    this.index = indices.name('topic-volume');
    this.meta = indices.name('meta');
  }

  async observe(articles: TopicDayArticle[], today: string): Promise<void> {
    await this.docs.create(this.meta, WATCHED_SINCE_ID, { value: today }, false);
    if (articles.length === 0) return;
    await this.docs.createMany(this.index, articles.map((a) => ({ id: `${a.topic}:${a.articleId}`, source: { ...a } })), 'wait_for');
  }

  async watchedSince(): Promise<string | null> {
    return (await this.docs.get<{ value: string }>(this.meta, WATCHED_SINCE_ID))?.source.value ?? null;
  }

  async dailyCounts(fromDay: string, toDay: string): Promise<TopicDayCount[]> {
    const counts: TopicDayCount[] = [];
    let after: Record<string, string | number> | undefined;
    do {
      const answer = await this.docs.aggregate<{ days: estypes.AggregationsCompositeAggregate }>(this.index, {
        query: { range: { day: { gte: fromDay, lte: toDay } } },
        aggs: { days: { composite: { size: 1000, sources: [{ topic: { terms: { field: 'topic' } } }, { day: { terms: { field: 'day' } } }], ...(after ? { after } : {}) } } },
      });
      const buckets = answer.days.buckets as estypes.AggregationsCompositeBucket[];
      for (const b of buckets) counts.push({ topic: b.key.topic as TopicId, day: String(b.key.day), count: b.doc_count });
      after = buckets.length ? answer.days.after_key : undefined;
    } while (after);
    return counts;
  }

  async articlesOn(topic: TopicId, day: string, limit: number): Promise<Array<{ id: string; title: string; url: string }>> {
    const hits = await this.docs.search<TopicDayArticle>(this.index, {
      query: { bool: { filter: [{ term: { topic } }, { term: { day } }] } },
      sort: [{ publishedAt: 'desc' }, { articleId: 'asc' }],
      size: limit,
    });
    return hits.map((h) => ({ id: h.source.articleId, title: h.source.title, url: h.source.url }));
  }
}
