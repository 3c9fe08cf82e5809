import { TopicId } from '@monitor/contracts';

/**
 * The daily volume per topic that spike detection compares against: which articles were seen on
 * which topic and day (each counted once, however often it comes by), and since when the volume
 * has been watched, so that a fresh store raises no spikes from a history it never saw.
 */
export const SPIKE_BASELINES = Symbol('SPIKE_BASELINES');

export interface TopicDayArticle {
  topic: TopicId;
  articleId: string;
  /** YYYY-MM-DD (UTC) of publication. */
  day: string;
  title: string;
  url: string;
  publishedAt: string;
}

export interface TopicDayCount {
  topic: TopicId;
  day: string;
  count: number;
}

export interface SpikeBaselineStore {
  /** Counts each (topic, article) once; the first call also marks `today` as the day watching began. */
  observe(articles: TopicDayArticle[], today: string): Promise<void>;
  /** The day watching began, or null before anything was observed. */
  watchedSince(): Promise<string | null>;
  /** Articles per topic and day, for the days from `fromDay` to `toDay` (inclusive) that have any. */
  dailyCounts(fromDay: string, toDay: string): Promise<TopicDayCount[]>;
  /** A topic's articles of one day, newest published first. */
  articlesOn(topic: TopicId, day: string, limit: number): Promise<Array<{ id: string; title: string; url: string }>>;
}
