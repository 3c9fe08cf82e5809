import { TopicId } from '@monitor/contracts';
import { SpikeBaselineStore, TopicDayArticle, TopicDayCount } from '../spike-baseline.port';

/** Topic volume in memory, for tests of what uses the port. */
export class MemorySpikeBaselines implements SpikeBaselineStore {
  private readonly seen = new Map<string, TopicDayArticle>();
  private since: string | null = null;

  async observe(articles: TopicDayArticle[], today: string): Promise<void> {
    this.since ??= today;
    for (const a of articles) if (!this.seen.has(`${a.topic}\n${a.articleId}`)) this.seen.set(`${a.topic}\n${a.articleId}`, { ...a });
  }

  async watchedSince(): Promise<string | null> {
    return this.since;
  }

  async dailyCounts(fromDay: string, toDay: string): Promise<TopicDayCount[]> {
    const counts = new Map<string, TopicDayCount>();
    for (const a of this.seen.values()) {
      if (a.day < fromDay || a.day > toDay) continue;
      const key = `${a.topic}\n${a.day}`;
      const count = counts.get(key) ?? { topic: a.topic, day: a.day, count: 0 };
      count.count += 1;
      counts.set(key, count);
    }
    return [...counts.values()];
  }

  async articlesOn(topic: TopicId, day: string, limit: number): Promise<Array<{ id: string; title: string; url: string }>> {
    return [...this.seen.values()]
      .filter((a) => a.topic === topic && a.day === day)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .slice(0, limit)
      .map((a) => ({ id: a.articleId, title: a.title, url: a.url }));
  }
}
