import type Database from 'better-sqlite3';
import { ClassifiedArticle, TopicId } from '@monitor/contracts';

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
    private readonly db: Database.Database,
    options: SpikeOptions = {},
  ) {
    this.opts = { windowDays: 14, k: 3, minCount: 5, minHistoryDays: 7, ...options };
    db.exec(`
      CREATE TABLE IF NOT EXISTS topic_volume (
        topic TEXT NOT NULL, article_id TEXT NOT NULL, day TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
        published_at TEXT NOT NULL, PRIMARY KEY (topic, article_id));
      CREATE INDEX IF NOT EXISTS topic_volume_day ON topic_volume (topic, day);
      CREATE TABLE IF NOT EXISTS topic_volume_since (one INTEGER PRIMARY KEY CHECK (one = 1), first_day TEXT NOT NULL);
    `);
  }

  observe(articles: ClassifiedArticle[], now: Date = new Date()): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO topic_volume (topic, article_id, day, title, url, published_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO topic_volume_since (one, first_day) VALUES (1, ?)').run(dayOf(now.toISOString()));
      for (const a of articles) {
        const at = a.publishedAt ?? a.fetchedAt;
        for (const t of a.topics) insert.run(t.id, a.id, dayOf(new Date(at).toISOString()), a.title, a.url, at);
      }
    })();
  }

  /** The topics whose volume on `day` (UTC, default today) jumped above their baseline. */
  detect(day: string = dayOf(new Date().toISOString())): TopicSpike[] {
    const since = this.db.prepare('SELECT first_day FROM topic_volume_since WHERE one = 1').get() as { first_day: string } | undefined;
    if (!since || since.first_day > addDays(day, -this.opts.minHistoryDays)) return [];
    const from = addDays(day, -this.opts.windowDays);
    const rows = this.db
      .prepare('SELECT topic, day, COUNT(*) AS n FROM topic_volume WHERE day >= ? AND day <= ? GROUP BY topic, day')
      .all(from, day) as Array<{ topic: TopicId; day: string; n: number }>;
    const byTopic = new Map<TopicId, Map<string, number>>();
    for (const r of rows) {
      if (!byTopic.has(r.topic)) byTopic.set(r.topic, new Map());
      byTopic.get(r.topic)!.set(r.day, r.n);
    }
    const spikes: TopicSpike[] = [];
    for (const [topic, days] of byTopic) {
      const baseline = Array.from({ length: this.opts.windowDays }, (_, i) => days.get(addDays(from, i)) ?? 0);
      const stats = spikeStats(days.get(day) ?? 0, baseline, this.opts);
      if (!stats.isSpike) continue;
      const articles = this.db
        .prepare('SELECT article_id AS id, title, url FROM topic_volume WHERE topic = ? AND day = ? ORDER BY published_at DESC LIMIT 50')
        .all(topic, day) as TopicSpike['articles'];
      spikes.push({ topic, day, ...stats, articles });
    }
    return spikes.sort((a, b) => a.topic.localeCompare(b.topic));
  }
}
