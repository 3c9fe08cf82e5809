import { Checked, MonitorError, StoredArticle, TopicMatch, TopicMatchSchema, validationErrorFromZod } from '@monitor/contracts';
import { positiveLeaves, toFts5Condition, toFts5Match } from '@monitor/query';
import { indexText } from '@monitor/text';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  ArticleStore,
  BulkResult,
  FacetBucket,
  SearchHit,
  SearchQuery,
  SearchResult,
  StoreHealth,
  StoryCounts,
  TopicDayCount,
  dateRangeOf,
  effectiveDate,
  highlightArticle,
  pagingOf,
  textQueryOf,
  upsertCheckingEach,
  withStoryRows,
} from '@monitor/search';

export interface SqliteStoreOptions {
  /** An open better-sqlite3 database; the embedded bus and other tables may share its file. */
  db: Database.Database;
  /** Close the database on close() (only when this store is its sole user). */
  closeDatabase?: boolean;
  /** bm25 weight of a title hit relative to a text hit. */
  titleWeight?: number;
}

/** Raised when SQLite itself refuses a write or a read; busy/locked databases are worth a retry. */
export class SqliteStoreError extends MonitorError {
  constructor(message: string, cause: unknown) {
    const code = (cause as { code?: string } | null)?.code ?? '';
    super('SEARCH_STORE_FAILED', message, { retriable: code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'), cause });
  }
}

interface Prepared {
  findRid: Database.Statement<[string], { rid: number }>;
  insertArticle: Database.Statement<[string, string, string, string, string | null]>;
  updateArticle: Database.Statement<[string, string, string, string, string | null, number]>;
  setStory: Database.Statement<[string, number]>;
  putDoc: Database.Statement<[number, string, string | null]>;
  updateDoc: Database.Statement<[string, number]>;
  deleteFts: Database.Statement<[number]>;
  insertFts: Database.Statement<[number, string, string]>;
  deleteTopics: Database.Statement<[number]>;
  insertTopic: Database.Statement<[string, number, string]>;
  getDoc: Database.Statement<[string], { rid: number; doc: string; html: string | null; at: string }>;
  scanPage: Database.Statement<[string, number], { id: string; doc: string; html: string | null }>;
}

const TopicsSchema = z.array(TopicMatchSchema);

/**
 * The embedded adapter of the search port: SQLite with a contentless FTS5 index over the
 * application-analysed title and text (libs/text; queries compiled by libs/query), a table of articles holding the
 * document as JSON plus the filter columns, and a topic table for topic filters, facets and daily
 * counts. Contentless because the documents are already stored once in the articles table and
 * highlights are made by the application, so the index needs only the terms.
 */
export class SqliteArticleStore implements ArticleStore {
  private readonly db: Database.Database;
  private readonly titleWeight: number;
  private statements?: Prepared;
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = options.db;
    this.titleWeight = options.titleWeight ?? 3;
  }

  async init(): Promise<void> {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS search_articles (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source_id TEXT NOT NULL,
        language TEXT NOT NULL,
        at TEXT NOT NULL,
        story_id TEXT
      );
      -- Documents apart from the filter columns, so counts and facets scan narrow rows; the display
      -- HTML apart from the document, so search pages do not read or parse it.
      CREATE TABLE IF NOT EXISTS search_docs (rid INTEGER PRIMARY KEY, doc TEXT NOT NULL, html TEXT);
      CREATE INDEX IF NOT EXISTS search_articles_at ON search_articles (at);
      CREATE TABLE IF NOT EXISTS search_article_topics (
        topic TEXT NOT NULL, rid INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (topic, rid)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS search_article_topics_rid ON search_article_topics (rid);
      CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, body, content = '', contentless_delete = 1,
        tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
    `);
    // A database written before the HTML was kept has the table without the column.
    const docColumns = this.db.prepare('PRAGMA table_info(search_docs)').all() as { name: string }[];
    if (!docColumns.some((column) => column.name === 'html')) this.db.exec('ALTER TABLE search_docs ADD COLUMN html TEXT');
    // One written before stories has no story column: add it and fill it from the documents, once.
    const articleColumns = this.db.prepare('PRAGMA table_info(search_articles)').all() as { name: string }[];
    if (!articleColumns.some((column) => column.name === 'story_id')) {
      this.db.transaction(() => {
        this.db.exec('ALTER TABLE search_articles ADD COLUMN story_id TEXT');
        this.db.exec(`UPDATE search_articles SET story_id = (SELECT json_extract(d.doc, '$.storyId') FROM search_docs d WHERE d.rid = search_articles.rid)`);
      }).immediate();
    }
    this.db.exec('CREATE INDEX IF NOT EXISTS search_articles_story ON search_articles (story_id) WHERE story_id IS NOT NULL');
    this.statements = {
      findRid: this.db.prepare('SELECT rid FROM search_articles WHERE id = ?'),
      insertArticle: this.db.prepare('INSERT INTO search_articles (id, source_id, language, at, story_id) VALUES (?, ?, ?, ?, ?)'),
      updateArticle: this.db.prepare('UPDATE search_articles SET id = ?, source_id = ?, language = ?, at = ?, story_id = ? WHERE rid = ?'),
      setStory: this.db.prepare('UPDATE search_articles SET story_id = ? WHERE rid = ?'),
      putDoc: this.db.prepare('INSERT OR REPLACE INTO search_docs (rid, doc, html) VALUES (?, ?, ?)'),
      updateDoc: this.db.prepare('UPDATE search_docs SET doc = ? WHERE rid = ?'),
      deleteFts: this.db.prepare('DELETE FROM search_fts WHERE rowid = ?'),
      insertFts: this.db.prepare('INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)'),
      deleteTopics: this.db.prepare('DELETE FROM search_article_topics WHERE rid = ?'),
      insertTopic: this.db.prepare('INSERT OR IGNORE INTO search_article_topics (topic, rid, at) VALUES (?, ?, ?)'),
      getDoc: this.db.prepare('SELECT a.rid, d.doc, d.html, a.at FROM search_articles a JOIN search_docs d ON d.rid = a.rid WHERE a.id = ?'),
      scanPage: this.db.prepare(
        'SELECT a.id, d.doc, d.html FROM search_articles a JOIN search_docs d ON d.rid = a.rid WHERE a.id > ? ORDER BY a.id LIMIT ?',
      ),
    };
  }

  /** Search statements vary with the filters used; each shape is prepared once. */
  private statement<Row>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(sql, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }

  private get sql(): Prepared {
    if (!this.statements) throw new MonitorError('SEARCH_STORE_NOT_READY', 'SqliteArticleStore.init() was not called');
    return this.statements;
  }

  upsertMany(articles: readonly StoredArticle[]): Promise<BulkResult> {
    return upsertCheckingEach(articles, (checked) => this.upsertChecked(checked));
  }

  async upsertChecked(articles: readonly Checked<StoredArticle>[]): Promise<BulkResult> {
    // Analysis happens outside the transaction so the write lock is held only for the writes.
    const valid = articles.map((article) => ({
      article,
      title: indexText(article.title),
      body: indexText(article.text),
      at: effectiveDate(article),
    }));
    const sql = this.sql;
    const write = this.db.transaction(() => {
      for (const { article, title, body, at } of valid) {
        const { html, ...rest } = article;
        const doc = JSON.stringify(rest);
        const existing = sql.findRid.get(article.id);
        let rid: number;
        if (existing) {
          rid = existing.rid;
          sql.updateArticle.run(article.id, article.sourceId, article.language, at, article.storyId ?? null, rid);
          sql.deleteFts.run(rid);
          sql.deleteTopics.run(rid);
        } else {
          rid = Number(sql.insertArticle.run(article.id, article.sourceId, article.language, at, article.storyId ?? null).lastInsertRowid);
        }
        sql.putDoc.run(rid, doc, html ?? null);
        sql.insertFts.run(rid, title, body);
        for (const topic of article.topics) sql.insertTopic.run(topic.id, rid, at);
      }
    });
    try {
      // IMMEDIATE: it reads before it writes; see SqliteBus.publish for why that matters with a shared file.
      write.immediate();
    } catch (error) {
      throw new SqliteStoreError(`bulk write of ${valid.length} articles failed: ${(error as Error).message}`, error);
    }
    return { written: valid.map(({ article }) => article.id), failed: [] };
  }

  async get(id: string): Promise<StoredArticle | null> {
    const row = this.sql.getDoc.get(id);
    return row ? withHtml(row) : null;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const { page, size, offset } = pagingOf(query);
    const parsed = textQueryOf(query);
    const where: string[] = [];
    const params: unknown[] = [];
    // One MATCH when FTS5 can say the query in one (then ranked by bm25), else SQL over several.
    const matchExpr = parsed ? (toFts5Match(parsed) ?? undefined) : undefined;
    if (parsed && matchExpr === undefined) {
      const condition = toFts5Condition(parsed, 'a.rid', 'search_fts');
      where.push(condition.sql);
      params.push(...condition.params);
    }
    const highlight = parsed !== null && positiveLeaves(parsed.root).length > 0;
    const inList = (column: string, values?: string[]) => {
      if (!values || values.length === 0) return;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    if (query.topics && query.topics.length > 0) {
      where.push(`a.rid IN (SELECT rid FROM search_article_topics WHERE topic IN (${query.topics.map(() => '?').join(', ')}))`);
      params.push(...query.topics);
    }
    inList('a.source_id', query.sources);
    inList('a.language', query.languages);
    const { from, to } = dateRangeOf(query);
    if (from) {
      where.push('a.at >= ?');
      params.push(from);
    }
    if (to) {
      where.push('a.at <= ?');
      params.push(to);
    }
    const filters = where.map((condition) => ` AND ${condition}`).join('');
    const base = matchExpr
      ? `SELECT a.rid, a.source_id, a.language, a.story_id, a.id FROM search_articles a
         WHERE a.rid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)${filters}`
      : `SELECT a.rid, a.source_id, a.language, a.story_id, a.id FROM search_articles a WHERE 1${filters}`;
    const baseParams = matchExpr ? [matchExpr, ...params] : params;

    const collapsed = query.collapse === 'story';
    const total = this.statement<{ n: number }>(
      collapsed ? `SELECT count(DISTINCT coalesce(story_id, id)) AS n FROM (${base})` : `SELECT count(*) AS n FROM (${base})`,
    ).get(...baseParams)!.n;
    let rows: { doc: string; score: number }[];
    if (collapsed) {
      // Each story's best-ranked article, in the order Elasticsearch's field collapsing gives.
      const ranked =
        matchExpr && query.sort !== 'date'
          ? { sql: `SELECT a.rid, a.at, a.id, coalesce(a.story_id, a.id) AS g, -bm25(search_fts, ?, 1.0) AS score FROM search_fts
                    JOIN search_articles a ON a.rid = search_fts.rowid WHERE search_fts MATCH ?${filters}`, params: [this.titleWeight, matchExpr, ...params] }
          : { sql: `SELECT b.rid, a.at, a.id, coalesce(a.story_id, a.id) AS g, 0 AS score FROM (${base}) b JOIN search_articles a ON a.rid = b.rid`, params: baseParams };
      rows = this.statement<{ doc: string; score: number }>(
        `SELECT d.doc, p.score FROM (
           SELECT rid, at, id, score FROM (
             SELECT m.*, row_number() OVER (PARTITION BY g ORDER BY score DESC, at DESC, id) AS n FROM (${ranked.sql}) m)
           WHERE n = 1 ORDER BY score DESC, at DESC, id LIMIT ? OFFSET ?) p
         JOIN search_docs d ON d.rid = p.rid ORDER BY p.score DESC, p.at DESC, p.id`,
      ).all(...ranked.params, size, offset);
    } else if (matchExpr && query.sort !== 'date') {
      rows = this.statement<{ doc: string; score: number }>(
        `SELECT d.doc, p.score FROM (
           SELECT a.rid, a.at, a.id, -bm25(search_fts, ?, 1.0) AS score FROM search_fts JOIN search_articles a ON a.rid = search_fts.rowid
           WHERE search_fts MATCH ?${filters} ORDER BY score DESC, a.at DESC, a.id LIMIT ? OFFSET ?) p
         JOIN search_docs d ON d.rid = p.rid ORDER BY p.score DESC, p.at DESC, p.id`,
      ).all(this.titleWeight, matchExpr, ...params, size, offset);
    } else {
      rows = this.statement<{ doc: string; score: number }>(
        `SELECT d.doc, 0 AS score FROM (
           SELECT a.rid, a.at, a.id FROM (${base}) b JOIN search_articles a ON a.rid = b.rid ORDER BY a.at DESC, a.id LIMIT ? OFFSET ?) p
         JOIN search_docs d ON d.rid = p.rid ORDER BY p.at DESC, p.id`,
      ).all(...baseParams, size, offset);
    }

    const buckets = (sql: string): FacetBucket[] =>
      this.statement<FacetBucket>(sql)
        .all(...baseParams)
        .map(({ key, count }) => ({ key, count }));
    const facets = {
      topics: buckets(
        `SELECT t.topic AS key, count(*) AS count FROM search_article_topics t WHERE t.rid IN (SELECT rid FROM (${base}))
         GROUP BY t.topic ORDER BY count DESC, key`,
      ),
      sources: buckets(`SELECT source_id AS key, count(*) AS count FROM (${base}) GROUP BY source_id ORDER BY count DESC, key LIMIT 100`),
      languages: buckets(`SELECT language AS key, count(*) AS count FROM (${base}) GROUP BY language ORDER BY count DESC, key LIMIT 50`),
    };

    const hits = rows.map((row) => {
      const article = JSON.parse(row.doc) as StoredArticle;
      return { article, score: row.score, highlights: highlight ? highlightArticle(article, parsed) : {} };
    });
    return { total, page, size, hits: collapsed ? withStoryRows(hits, this.storyCounts(hits)) : hits, facets };
  }

  /** Articles, languages and sources of the stories of these hits, over all their stored articles. */
  private storyCounts(hits: SearchHit[]): Map<string, StoryCounts> {
    const storyIds = [...new Set(hits.flatMap((hit) => (hit.article.storyId ? [hit.article.storyId] : [])))];
    const counts = new Map<string, StoryCounts>();
    if (storyIds.length === 0) return counts;
    const rows = this.statement<{ story_id: string; articles: number; languages: string; sources: number }>(
      `SELECT story_id, count(*) AS articles, json_group_array(DISTINCT language) AS languages, count(DISTINCT source_id) AS sources
       FROM search_articles WHERE story_id IN (${storyIds.map(() => '?').join(', ')}) GROUP BY story_id`,
    ).all(...storyIds);
    for (const row of rows) {
      counts.set(row.story_id, { articleCount: row.articles, languages: JSON.parse(row.languages) as string[], sourceCount: row.sources });
    }
    return counts;
  }

  async setStories(stories: ReadonlyMap<string, string>): Promise<string[]> {
    const sql = this.sql;
    try {
      return this.db.transaction(() => {
        const found: string[] = [];
        for (const [id, storyId] of stories) {
          const row = sql.getDoc.get(id);
          if (!row) continue;
          const article = JSON.parse(row.doc) as StoredArticle;
          if (article.storyId !== storyId) {
            sql.updateDoc.run(JSON.stringify({ ...article, storyId }), row.rid);
            sql.setStory.run(storyId, row.rid);
          }
          found.push(id);
        }
        return found;
      }).immediate();
    } catch (error) {
      throw new SqliteStoreError(`story ids of ${stories.size} articles not written: ${(error as Error).message}`, error);
    }
  }

  async updateTopics(id: string, topics: TopicMatch[], taxonomyVersion: string): Promise<boolean> {
    const parsed = TopicsSchema.safeParse(topics);
    if (!parsed.success) throw validationErrorFromZod(parsed.error, { context: 'topics', root: 'topics' });
    const sql = this.sql;
    return this.db.transaction(() => {
      const row = sql.getDoc.get(id);
      if (!row) return false;
      const article = JSON.parse(row.doc) as StoredArticle;
      const updated: StoredArticle = { ...article, topics: parsed.data, taxonomyVersion, classifiedAt: new Date().toISOString() };
      sql.updateDoc.run(JSON.stringify(updated), row.rid);
      sql.deleteTopics.run(row.rid);
      for (const topic of parsed.data) sql.insertTopic.run(topic.id, row.rid, row.at);
      return true;
    }).immediate();
  }

  async *scan(pageSize: number): AsyncIterable<StoredArticle[]> {
    const size = Math.max(1, Math.floor(pageSize));
    let after = '';
    for (;;) {
      const rows = this.sql.scanPage.all(after, size);
      if (rows.length === 0) return;
      yield rows.map(withHtml);
      after = rows[rows.length - 1].id;
      if (rows.length < size) return;
    }
  }

  async topicCountsByDay(from: string): Promise<TopicDayCount[]> {
    const { from: since } = dateRangeOf({ from });
    return this.db
      .prepare(
        `SELECT topic, substr(at, 1, 10) AS day, count(*) AS count FROM search_article_topics
         WHERE at >= ? GROUP BY topic, day ORDER BY day, topic`,
      )
      .all(since ?? '') as TopicDayCount[];
  }

  /** Writes are visible when their transaction commits; nothing to do. */
  async refresh(): Promise<void> {}

  async health(): Promise<StoreHealth> {
    try {
      const { n } = this.db.prepare('SELECT count(*) AS n FROM search_articles').get() as { n: number };
      return { up: true, documents: n };
    } catch (error) {
      return { up: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.options.closeDatabase && this.db.open) this.db.close();
  }
}

/** A stored row as the article: the document, and its display HTML when it has one. */
function withHtml(row: { doc: string; html: string | null }): StoredArticle {
  const article = JSON.parse(row.doc) as StoredArticle;
  if (row.html !== null) article.html = row.html;
  return article;
}
