import type Database from 'better-sqlite3';
import { TopicId } from '@monitor/contracts';
import { SpikeBaselineStore, TopicDayArticle, TopicDayCount } from '@monitor/alerts';

/**
 * Topic volume in the shared SQLite file: (topic, article) is the primary key, so an article
 * seen again counts once; a one-row table keeps the day watching began.
 */
export class SqliteSpikeBaselines implements SpikeBaselineStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS topic_volume (
        topic TEXT NOT NULL, article_id TEXT NOT NULL, day TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
        published_at TEXT NOT NULL, PRIMARY KEY (topic, article_id));
      CREATE INDEX IF NOT EXISTS topic_volume_day ON topic_volume (topic, day);
      CREATE TABLE IF NOT EXISTS topic_volume_since (one INTEGER PRIMARY KEY CHECK (one = 1), first_day TEXT NOT NULL);
    `);
  }

  async observe(articles: TopicDayArticle[], today: string): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO topic_volume (topic, article_id, day, title, url, published_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO topic_volume_since (one, first_day) VALUES (1, ?)').run(today);
      for (const a of articles) insert.run(a.topic, a.articleId, a.day, a.title, a.url, a.publishedAt);
    })();
  }

  async watchedSince(): Promise<string | null> {
    const row = this.db.prepare('SELECT first_day FROM topic_volume_since WHERE one = 1').get() as { first_day: string } | undefined;
    return row?.first_day ?? null;
  }

  async dailyCounts(fromDay: string, toDay: string): Promise<TopicDayCount[]> {
    return this.db
      .prepare('SELECT topic, day, COUNT(*) AS count FROM topic_volume WHERE day >= ? AND day <= ? GROUP BY topic, day')
      .all(fromDay, toDay) as TopicDayCount[];
  }

  async articlesOn(topic: TopicId, day: string, limit: number): Promise<Array<{ id: string; title: string; url: string }>> {
    return this.db
      .prepare('SELECT article_id AS id, title, url FROM topic_volume WHERE topic = ? AND day = ? ORDER BY published_at DESC LIMIT ?')
      .all(topic, day, limit) as Array<{ id: string; title: string; url: string }>;
  }
}
