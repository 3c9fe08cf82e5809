import { StorySummary, TopicId } from '@monitor/contracts';
import {
  RecordedMember,
  StoryDetail,
  StoryListQuery,
  StoryMember,
  StoryPage,
  StoryStore,
  decodeStoryCursor,
  encodeStoryCursor,
  storyLimitOf,
  storyArticleRefOf,
} from '@monitor/search';
import Database from 'better-sqlite3';
import { SqliteStoreError } from './sqlite.store';

export interface SqliteStoryStoreOptions {
  /** An open better-sqlite3 database; the embedded bus and the other stores may share its file. */
  db: Database.Database;
  /** Close the database on close() (only when this store is its sole user). */
  closeDatabase?: boolean;
}

interface StoryRow {
  id: string;
  title: string;
  article_count: number;
  languages: string;
  sources: string;
  topics: string;
  first_seen: string;
  last_seen: string;
}

/**
 * The embedded adapter of the story port: a table of members (article → story, with what the
 * assigner reads of the article) and a table of stories kept up to date as members are added, so
 * that listing needs no aggregation. One transaction per record(): a crash leaves either the whole
 * batch or none of it.
 */
export class SqliteStoryStore implements StoryStore {
  private readonly db: Database.Database;

  constructor(private readonly options: SqliteStoryStoreOptions) {
    this.db = options.db;
  }

  async init(): Promise<void> {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS story_members (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        published_at TEXT NOT NULL,
        member TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story_id, published_at);
      CREATE INDEX IF NOT EXISTS story_members_published ON story_members (published_at);
      CREATE TABLE IF NOT EXISTS stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        languages TEXT NOT NULL,
        sources TEXT NOT NULL,
        topics TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS stories_recent ON stories (last_seen DESC, id);
    `);
  }

  async record(members: readonly StoryMember[]): Promise<RecordedMember[]> {
    const insertMember = this.db.prepare('INSERT OR IGNORE INTO story_members (article_id, story_id, seq, published_at, member) VALUES (?, ?, ?, ?, ?)');
    const storyOf = this.db.prepare<[string], { story_id: string }>('SELECT story_id FROM story_members WHERE article_id = ?');
    const getStory = this.db.prepare<[string], StoryRow>('SELECT * FROM stories WHERE id = ?');
    const putStory = this.db.prepare(
      'INSERT OR REPLACE INTO stories (id, title, article_count, languages, sources, topics, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const write = this.db.transaction((batch: readonly StoryMember[]) => {
      const storyIds: string[] = [];
      for (const member of batch) {
        const at = new Date(member.publishedAt).toISOString();
        const added = insertMember.run(member.articleId, member.storyId, member.seq, at, JSON.stringify({ ...member, publishedAt: at })).changes > 0;
        if (!added) {
          storyIds.push(storyOf.get(member.articleId)!.story_id);
          continue;
        }
        storyIds.push(member.storyId);
        const row = getStory.get(member.storyId);
        const story = row ? summaryOf(row) : { id: member.storyId, title: member.title, articleCount: 0, languages: [], sources: [], topics: [], firstSeen: at, lastSeen: at };
        const merged = mergeMember(story, member, at);
        putStory.run(merged.id, merged.title, merged.articleCount, JSON.stringify(merged.languages), JSON.stringify(merged.sources), JSON.stringify(merged.topics), merged.firstSeen, merged.lastSeen);
      }
      return batch.map((member, i) => ({ articleId: member.articleId, storyId: storyIds[i], story: summaryOf(getStory.get(storyIds[i])!) }));
    });
    try {
      return write.immediate(members);
    } catch (error) {
      throw new SqliteStoreError(`story write failed: ${(error as Error).message}`, error);
    }
  }

  async storiesOf(articleIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (articleIds.length === 0) return found;
    const rows = this.db
      .prepare<string[], { article_id: string; story_id: string }>(`SELECT article_id, story_id FROM story_members WHERE article_id IN (${articleIds.map(() => '?').join(',')})`)
      .all(...articleIds);
    for (const row of rows) found.set(row.article_id, row.story_id);
    return found;
  }

  async window(windowMs: number): Promise<StoryMember[]> {
    const latest = this.db.prepare<[], { at: string | null }>('SELECT MAX(published_at) AS at FROM story_members').get()?.at;
    if (!latest) return [];
    const since = new Date(Date.parse(latest) - windowMs).toISOString();
    return this.db
      .prepare<[string], { member: string }>('SELECT member FROM story_members WHERE published_at >= ? ORDER BY seq, article_id')
      .all(since)
      .map((row) => JSON.parse(row.member) as StoryMember);
  }

  async get(storyId: string): Promise<StoryDetail | null> {
    const row = this.db.prepare<[string], StoryRow>('SELECT * FROM stories WHERE id = ?').get(storyId);
    if (!row) return null;
    const articles = this.db
      .prepare<[string], { member: string }>('SELECT member FROM story_members WHERE story_id = ? ORDER BY published_at, seq')
      .all(storyId)
      .map((r) => storyArticleRefOf(JSON.parse(r.member) as StoryMember));
    return { ...summaryOf(row), articles };
  }

  async list(query: StoryListQuery): Promise<StoryPage> {
    const limit = storyLimitOf(query);
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.topics?.length) {
      where.push(`EXISTS (SELECT 1 FROM json_each(stories.topics) WHERE value IN (${query.topics.map(() => '?').join(',')}))`);
      params.push(...query.topics);
    }
    if (query.languages?.length) {
      where.push(`EXISTS (SELECT 1 FROM json_each(stories.languages) WHERE value IN (${query.languages.map(() => '?').join(',')}))`);
      params.push(...query.languages);
    }
    if (query.from) {
      where.push('last_seen >= ?');
      params.push(new Date(query.from).toISOString());
    }
    if (query.to) {
      where.push('first_seen <= ?');
      params.push(new Date(query.to).toISOString());
    }
    if (query.cursor) {
      const cursor = decodeStoryCursor(query.cursor);
      where.push('(last_seen < ? OR (last_seen = ? AND id > ?))');
      params.push(cursor.lastSeen, cursor.lastSeen, cursor.id);
    }
    const rows = this.db
      .prepare<unknown[], StoryRow>(`SELECT * FROM stories ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC, id LIMIT ?`)
      .all(...params, limit + 1);
    const stories = rows.slice(0, limit).map(summaryOf);
    const last = stories[stories.length - 1];
    return { stories, nextCursor: rows.length > limit ? encodeStoryCursor({ lastSeen: last.lastSeen, id: last.id }) : null };
  }

  async refresh(): Promise<void> {
    // Every committed write is visible at once.
  }

  async close(): Promise<void> {
    if (this.options.closeDatabase && this.db.open) this.db.close();
  }
}

function summaryOf(row: StoryRow): StorySummary {
  return {
    id: row.id,
    title: row.title,
    articleCount: row.article_count,
    languages: JSON.parse(row.languages) as string[],
    sources: JSON.parse(row.sources) as string[],
    topics: JSON.parse(row.topics) as TopicId[],
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

/** The story with one more member; sets stay sorted so both adapters list them alike. */
function mergeMember(story: StorySummary, member: StoryMember, at: string): StorySummary {
  const union = <T extends string>(values: T[], more: readonly T[]) => [...new Set([...values, ...more])].sort();
  return {
    ...story,
    articleCount: story.articleCount + 1,
    languages: union(story.languages, [member.language]),
    sources: union(story.sources, [member.sourceId]),
    topics: union(story.topics, member.topics),
    firstSeen: at < story.firstSeen ? at : story.firstSeen,
    lastSeen: at > story.lastSeen ? at : story.lastSeen,
  };
}
