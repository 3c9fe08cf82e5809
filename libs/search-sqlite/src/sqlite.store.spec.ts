import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract, FIXTURES } from '@monitor/search/testing';
import { SqliteArticleStore } from './sqlite.store';

describeStoreContract('SQLite FTS5', {
  async create() {
    const store = new SqliteArticleStore({ db: new Database(':memory:'), closeDatabase: true });
    await store.init();
    return store;
  },
});

describe('SqliteArticleStore', () => {
  it('keeps articles in a file across a restart, beside other tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-store-'));
    try {
      const file = join(dir, 'monitor.db');
      const db = new Database(file);
      db.exec('CREATE TABLE other_table (x INTEGER)');
      const first = new SqliteArticleStore({ db });
      await first.init();
      await first.upsertMany([FIXTURES.scoRussian, FIXTURES.scoChinese]);
      await first.close();
      expect(db.open).toBe(true);
      db.close();

      const reopened = new SqliteArticleStore({ db: new Database(file), closeDatabase: true });
      await reopened.init();
      expect((await reopened.search({ q: 'наркотики' })).hits.map((hit) => hit.article.id)).toEqual([FIXTURES.scoRussian.id]);
      expect(await reopened.health()).toMatchObject({ up: true, documents: 2 });
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a database written before the HTML was kept, and keeps HTML in it from then on', async () => {
    const db = new Database(':memory:');
    // The tables as the previous version made them, with one article in them.
    db.exec(`
      CREATE TABLE search_articles (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source_id TEXT NOT NULL, language TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE search_docs (rid INTEGER PRIMARY KEY, doc TEXT NOT NULL);`);
    const old = FIXTURES.scoChinese;
    db.prepare('INSERT INTO search_articles (rid, id, source_id, language, at) VALUES (1, ?, ?, ?, ?)').run(old.id, old.sourceId, old.language, old.publishedAt);
    db.prepare('INSERT INTO search_docs (rid, doc) VALUES (1, ?)').run(JSON.stringify(old));

    const store = new SqliteArticleStore({ db, closeDatabase: true });
    await store.init();
    expect(await store.get(old.id)).toEqual(old);
    const withHtml = { ...FIXTURES.heroinRoutes, html: '<p>Heroin</p>' };
    await store.upsertMany([withHtml]);
    expect(await store.get(withHtml.id)).toEqual(withHtml);
    await store.close();
  });

  it('collapses by the stories a database written before the story column recorded', async () => {
    const db = new Database(':memory:');
    // The tables as the version before the story column made them; the story sat in the document only.
    db.exec(`
      CREATE TABLE search_articles (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source_id TEXT NOT NULL, language TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE search_docs (rid INTEGER PRIMARY KEY, doc TEXT NOT NULL, html TEXT);`);
    const storyId = 'story-' + 'c'.repeat(20);
    [FIXTURES.scoRussian, FIXTURES.scoChinese, FIXTURES.chineseMeeting].forEach((article, i) => {
      const doc = article === FIXTURES.chineseMeeting ? article : { ...article, storyId };
      db.prepare('INSERT INTO search_articles (rid, id, source_id, language, at) VALUES (?, ?, ?, ?, ?)').run(i + 1, article.id, article.sourceId, article.language, article.publishedAt);
      db.prepare('INSERT INTO search_docs (rid, doc) VALUES (?, ?)').run(i + 1, JSON.stringify(doc));
    });

    const store = new SqliteArticleStore({ db, closeDatabase: true });
    await store.init();
    const result = await store.search({ collapse: 'story', sort: 'date' });
    expect(result.total).toBe(2);
    expect(result.hits.map((hit) => [hit.article.id, hit.story?.articleCount])).toEqual([
      [FIXTURES.chineseMeeting.id, undefined],
      [FIXTURES.scoChinese.id, 2],
    ]);
    await store.init();
    expect((await store.search({ collapse: 'story' })).total).toBe(2);
    await store.close();
  });

  it('answers a page past the 10,000th result as not found (PAGE_NOT_FOUND, 404)', async () => {
    const store = new SqliteArticleStore({ db: new Database(':memory:'), closeDatabase: true });
    await store.init();
    await expect(store.search({ page: 101, size: 100 })).rejects.toMatchObject({ code: 'PAGE_NOT_FOUND' });
    await store.close();
  });

  it('reports itself down when its database is closed', async () => {
    const db = new Database(':memory:');
    const store = new SqliteArticleStore({ db });
    await store.init();
    db.close();
    expect(await store.health()).toMatchObject({ up: false });
  });
});
