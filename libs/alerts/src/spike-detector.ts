import { ClassifiedArticle, TopicId } from '@monitor/contracts';
import { SpikeBaselineStore } from './spike-baseline.port';

export interface SpikeOptions {
  /** Days of baseline before the day looked at; 14 by default. */
  windowDays?: number;
  /** Standard deviations above the mean that make a jump; 3 by default. */
  k?: number;
  /** Fewer articles than this in a day are never a spike, however quiet the baseline; 5 by default. */
  minCount?: number;
  /** Days the detector must have watched before it may call anything a spike (no first-run storm); 7 by default. */
  minHistoryDays?: number;
}

export interface SpikeStats {
  count: number;
  mean: number;
  stddev: number;
  threshold: number;
  isSpike: boolean;
}

/** The test itself: today's count against the trailing mean + k * stddev, with a floor. */
export function spikeStats(today: number, baseline: number[], options: Pick<SpikeOptions, 'k' | 'minCount'> = {}): SpikeStats {
  const k = options.k ?? 3;
  const minCount = options.minCount ?? 5;
  const mean = baseline.length ? baseline.reduce((a, b) => a + b, 0) / baseline.length : 0;
  const variance = baseline.length ? baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / baseline.length : 0;
  const stddev = Math.sqrt(variance);
  const threshold = Math.max(minCount, mean + k * stddev);
  // A flat baseline has no spread; "above the threshold" then has to mean strictly more.
  return { count: today, mean, stddev, threshold, isSpike: today >= minCount && today > mean + k * stddev && today >= threshold };
}

export interface TopicSpike extends SpikeStats {
  topic: TopicId;
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** The articles of that day on that topic, newest first. */
  articles: Array<{ id: string; title: string; url: string }>;
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => iso.slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(day + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Daily volume per topic, kept by the alerter from the classified articles it sees (each article
 * counts once per topic and on the day it was published, so redelivery and late polling do not
 * inflate a day), and the spikes in it.
 */
export class SpikeDetector {
  private readonly opts: Required<SpikeOptions>;

  constructor(
    private readonly baselines: SpikeBaselineStore,
    options: SpikeOptions = {},
  ) {
    this.opts = { windowDays: 14, k: 3, minCount: 5, minHistoryDays: 7, ...options };
  }

  observe(articles: ClassifiedArticle[], now: Date = new Date()): Promise<void> {
    return this.baselines.observe(
      articles.flatMap((a) => {
        const publishedAt = a.publishedAt ?? a.fetchedAt;
        const day = dayOf(new Date(publishedAt).toISOString());
        return a.topics.map((t) => ({ topic: t.id, articleId: a.id, day, title: a.title, url: a.url, publishedAt }));
      }),
      dayOf(now.toISOString()),
    );
  }

  /** The topics whose volume on `day` (UTC, default today) jumped above their baseline. */
  async detect(day: string = dayOf(new Date().toISOString())): Promise<TopicSpike[]> {
    const since = await this.baselines.watchedSince();
    if (!since || since > addDays(day, -this.opts.minHistoryDays)) return [];
    const from = addDays(day, -this.opts.windowDays);
    const byTopic = new Map<TopicId, Map<string, number>>();
    for (const r of await this.baselines.dailyCounts(from, day)) {
      if (!byTopic.has(r.topic)) byTopic.set(r.topic, new Map());
      byTopic.get(r.topic)!.set(r.day, r.count);
    }
    const spikes: TopicSpike[] = [];
    for (const [topic, days] of byTopic) {
      const baseline = Array.from({ length: this.opts.windowDays }, (_, i) => days.get(addDays(from, i)) ?? 0);
      const stats = spikeStats(days.get(day) ?? 0, baseline, this.opts);
      if (!stats.isSpike) continue;
      spikes.push({ topic, day, ...stats, articles: await this.baselines.articlesOn(topic, day, 50) });
    }
    return spikes.sort((a, b) => a.topic.localeCompare(b.topic));
  }
}
