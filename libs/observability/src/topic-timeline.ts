import { z } from 'zod';

/**
 * Articles per topic per day over a window, zero-filled, with the days on which a topic jumped
 * above its trailing baseline marked. The spike test itself is passed in (the alerts lib owns it),
 * so the chart marks exactly the days a spike alert would fire on.
 */
/** GET /ops/topics/timeline's query: how many days the chart shows, ending today. */
export const TimelineQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).meta({ description: 'Days shown, ending today (UTC); 1 to 365, 30 by default' }),
});

export interface TopicDayCountLike {
  topic: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  count: number;
}

export type SpikeTest = (count: number, baseline: number[]) => { isSpike: boolean; threshold: number; mean: number };

export interface TopicTimelineOptions {
  /** Days shown, ending today (UTC). */
  days: number;
  /** Days of baseline before each day looked at. */
  baselineDays: number;
  now?: Date;
  isSpike: SpikeTest;
  /** Topics shown even when they had no article (the taxonomy), in this order. */
  topics?: readonly string[];
}

export interface TopicSeries {
  topic: string;
  total: number;
  /** One count per entry of `days`. */
  counts: number[];
  spikes: Array<{ day: string; count: number; mean: number; threshold: number }>;
}

export interface TopicTimeline {
  days: string[];
  baselineDays: number;
  topics: TopicSeries[];
}

const DAY_MS = 86_400_000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The first day the store must be asked about: the window plus the baseline before it. */
export function timelineStart(options: Pick<TopicTimelineOptions, 'days' | 'baselineDays' | 'now'>): string {
  return addDays(utcDay(options.now ?? new Date()), -(options.days - 1) - options.baselineDays);
}

export function buildTopicTimeline(counts: TopicDayCountLike[], options: TopicTimelineOptions): TopicTimeline {
  const today = utcDay(options.now ?? new Date());
  const first = timelineStart(options);
  const byTopic = new Map<string, Map<string, number>>();
  for (const topic of options.topics ?? []) byTopic.set(topic, new Map());
  for (const row of counts) {
    if (!byTopic.has(row.topic)) byTopic.set(row.topic, new Map());
    const days = byTopic.get(row.topic)!;
    days.set(row.day, (days.get(row.day) ?? 0) + row.count);
  }
  const allDays = Array.from({ length: options.days + options.baselineDays }, (_, i) => addDays(first, i)).filter((d) => d <= today);
  const shown = allDays.slice(options.baselineDays);
  const topics: TopicSeries[] = [];
  for (const [topic, days] of byTopic) {
    const full = allDays.map((day) => days.get(day) ?? 0);
    const counts = full.slice(options.baselineDays);
    const spikes: TopicSeries['spikes'] = [];
    counts.forEach((count, i) => {
      const at = i + options.baselineDays;
      const stats = options.isSpike(count, full.slice(at - options.baselineDays, at));
      if (stats.isSpike) spikes.push({ day: shown[i], count, mean: round(stats.mean), threshold: round(stats.threshold) });
    });
    topics.push({ topic, total: counts.reduce((a, b) => a + b, 0), counts, spikes });
  }
  return { days: shown, baselineDays: options.baselineDays, topics };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
