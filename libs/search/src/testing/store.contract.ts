import { MonitorError, StoredArticle, TopicId } from '@monitor/contracts';
import { ArticleStore, FacetBucket, SearchQuery, SearchResult } from '../search.port';
import { ALL_FIXTURES, FIXTURES, storedArticle } from './store-fixtures';

export interface StoreContractContext {
  /** A new, empty store of the adapter under test, already initialised. */
  create(): Promise<ArticleStore>;
  /** Releases what create() made (drops indices, closes files); defaults to store.close(). */
  dispose?(store: ArticleStore): Promise<void>;
}

const ids = (result: SearchResult) => result.hits.map((hit) => hit.article.id).sort();
const idsOf = (...articles: StoredArticle[]) => articles.map((article) => article.id).sort();
const at = (article: StoredArticle) => article.publishedAt ?? article.fetchedAt;

/** Expected facet buckets computed from fixtures: count descending, then key ascending. */
function expectedFacet(articles: StoredArticle[], keys: (article: StoredArticle) => string[]): FacetBucket[] {
  const counts = new Map<string, number>();
  for (const article of articles) for (const key of new Set(keys(article))) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The behaviour every adapter of the search port must show. The SQLite adapter and the
 * Elasticsearch adapter both run it, which is what keeps embedded mode a faithful stand-in.
 */
export function describeStoreContract(name: string, context: StoreContractContext): void {
  describe(`ArticleStore contract: ${name}`, () => {
    const open: ArticleStore[] = [];
    const fresh = async () => {
      const store = await context.create();
      open.push(store);
      return store;
    };
    let seeded: ArticleStore;
    const search = (query: SearchQuery) => seeded.search(query);

    beforeAll(async () => {
      seeded = await fresh();
      const result = await seeded.upsertMany(ALL_FIXTURES);
      expect(result.failed).toEqual([]);
      await seeded.refresh();
    });

    afterAll(async () => {
      for (const store of open.splice(0)) await (context.dispose ? context.dispose(store) : store.close());
    });

    describe('writes', () => {
      it('keeps one document per id however often it is written', async () => {
        const store = await fresh();
        const first = FIXTURES.heroinRoutes;
        const second = { ...first, title: 'Heroin seizures keep rising' };
        expect((await store.upsertMany([first])).written).toEqual([first.id]);
        expect((await store.upsertMany([second])).written).toEqual([second.id]);
        await store.upsertMany([{ ...second, title: 'ignored' }, second]);
        await store.refresh();
        expect(await store.get(first.id)).toEqual(second);
        const result = await store.search({ q: 'heroin' });
        expect(result.total).toBe(1);
        expect(result.hits[0].article.title).toBe('Heroin seizures keep rising');
        expect((await store.search({ q: 'ignored' })).total).toBe(0);
        expect((await store.health()).documents).toBe(1);
      });

      it('fails only the invalid item of a bulk, as a non-retriable error naming it', async () => {
        const store = await fresh();
        const { title: _title, ...untitled } = storedArticle({ slug: 'no-title', title: 'x' });
        const result = await store.upsertMany([FIXTURES.onlineMarkets, untitled as StoredArticle, FIXTURES.scoChinese]);
        expect(result.written.sort()).toEqual(idsOf(FIXTURES.onlineMarkets, FIXTURES.scoChinese));
        expect(result.failed).toHaveLength(1);
        expect(result.failed[0].id).toBe(untitled.id);
        expect(result.failed[0].error).toBeInstanceOf(MonitorError);
        expect((result.failed[0].error as MonitorError).retriable).toBe(false);
        expect(result.failed[0].error.message).toMatch(/title/);
        await store.refresh();
        expect(await store.get(untitled.id)).toBeNull();
        expect(await store.get(FIXTURES.scoChinese.id)).toEqual(FIXTURES.scoChinese);
        expect((await store.search({})).total).toBe(2);
      });

      it("records each stored article's story in place, skipping articles not stored yet", async () => {
        const store = await fresh();
        await store.upsertMany([FIXTURES.scoRussian, FIXTURES.scoChinese]);
        const missing = 'a' + '0'.repeat(31);
        const found = await store.setStories(new Map([[FIXTURES.scoRussian.id, 'story-1'], [missing, 'story-2']]));
        expect(found).toEqual([FIXTURES.scoRussian.id]);
        expect(await store.get(FIXTURES.scoRussian.id)).toEqual({ ...FIXTURES.scoRussian, storyId: 'story-1' });
        expect((await store.get(FIXTURES.scoChinese.id))?.storyId).toBeUndefined();
        expect(await store.get(missing)).toBeNull();
        // Re-classification keeps it; asked again, nothing changes.
        await store.updateTopics(FIXTURES.scoRussian.id, [{ id: 'precursors', score: 1, evidence: [] }], 'test-2');
        expect(await store.setStories(new Map([[FIXTURES.scoRussian.id, 'story-1']]))).toEqual([FIXTURES.scoRussian.id]);
        expect((await store.get(FIXTURES.scoRussian.id))?.storyId).toBe('story-1');
        expect(await store.setStories(new Map())).toEqual([]);
      });

      it('replaces topics in place on re-classification', async () => {
        const store = await fresh();
        await store.upsertMany(ALL_FIXTURES);
        await store.refresh();
        const target = FIXTURES.cannabisDebate;
        const updated = await store.updateTopics(target.id, [{ id: 'precursors', score: 0.8, evidence: [] }], 'test-2');
        expect(updated).toBe(true);
        expect(await store.updateTopics('a' + '0'.repeat(31), [], 'test-2')).toBe(false);
        await store.refresh();
        const article = await store.get(target.id);
        expect(article?.topics.map((topic) => topic.id)).toEqual(['precursors']);
        expect(article?.taxonomyVersion).toBe('test-2');
        expect(article?.title).toBe(target.title);
        expect(ids(await store.search({ topics: ['precursors'] }))).toEqual(idsOf(target, FIXTURES.precursorsUndated));
        expect((await store.search({ topics: ['cannabis-legalisation'] })).total).toBe(0);
        expect((await store.search({ q: 'cannabis regulation' })).hits[0].article.id).toBe(target.id);
      });

      it('keeps the display HTML: by id, in a scan and after re-classification, but not in search hits', async () => {
        const store = await fresh();
        const html = '<p>Customs seized <b>heroin</b> at the border.</p><ul><li>300 kg</li></ul>';
        const article: StoredArticle = { ...storedArticle({ slug: 'with-html', title: 'Heroin at the border', text: 'Customs seized heroin at the border. 300 kg' }), html };
        expect((await store.upsertMany([article, FIXTURES.onlineMarkets])).failed).toEqual([]);
        await store.refresh();
        expect(await store.get(article.id)).toEqual(article);
        expect(await store.get(FIXTURES.onlineMarkets.id)).not.toHaveProperty('html');
        const scanned: StoredArticle[] = [];
        for await (const page of store.scan(10)) scanned.push(...page);
        expect(scanned.find((a) => a.id === article.id)?.html).toBe(html);
        const [hit] = (await store.search({ q: 'heroin' })).hits;
        expect(hit.article.id).toBe(article.id);
        expect(hit.article).not.toHaveProperty('html');
        await store.updateTopics(article.id, [{ id: 'precursors', score: 1, evidence: [] }], 'test-2');
        await store.refresh();
        expect((await store.get(article.id))?.html).toBe(html);
      });

      it('is idempotent to initialise again', async () => {
        const store = await fresh();
        await store.upsertMany([FIXTURES.heroinRoutes]);
        await store.init();
        await store.refresh();
        expect(await store.get(FIXTURES.heroinRoutes.id)).toEqual(FIXTURES.heroinRoutes);
      });
    });

    describe('full-text search', () => {
      it('finds an English word in any form and highlights it in title and text', async () => {
        const result = await search({ q: 'heroin seizure' });
        expect(ids(result)).toEqual(idsOf(FIXTURES.heroinRoutes));
        const { highlights } = result.hits[0];
        expect(highlights.title).toEqual(['<mark>Heroin</mark> <mark>seizures</mark> rise along routes out of Afghanistan']);
        expect(highlights.text?.join(' ')).toContain('moved <mark>heroin</mark> through');
        expect(result.hits[0].score).toBeGreaterThan(0);
      });

      it('needs every word by default, and honours phrases, OR and exclusions', async () => {
        expect(ids(await search({ q: 'Afghanistan' }))).toEqual(idsOf(FIXTURES.heroinRoutes, FIXTURES.cannabisDebate));
        expect(ids(await search({ q: 'heroin Afghanistan' }))).toEqual(idsOf(FIXTURES.heroinRoutes));
        expect(ids(await search({ q: '"cannabis regulation"' }))).toEqual(idsOf(FIXTURES.cannabisDebate));
        expect(ids(await search({ q: '"regulation cannabis"' }))).toEqual([]);
        expect(ids(await search({ q: 'darknet OR heroin' }))).toEqual(idsOf(FIXTURES.heroinRoutes, FIXTURES.onlineMarkets));
        expect(ids(await search({ q: 'Afghanistan -heroin' }))).toEqual(idsOf(FIXTURES.cannabisDebate));
        expect(ids(await search({ q: '-heroin -禁毒' }))).toEqual(
          idsOf(...ALL_FIXTURES.filter((a) => a !== FIXTURES.heroinRoutes && a !== FIXTURES.scoChinese)),
        );
      });

      it('reads prefixes, parentheses and exclusions anywhere in the query', async () => {
        expect(ids(await search({ q: 'traffick*' }))).toEqual(idsOf(FIXTURES.heroinRoutes));
        expect(ids(await search({ q: 'наркот*' }))).toEqual(idsOf(FIXTURES.scoRussian));
        expect(ids(await search({ q: '(darknet OR cannabis) -heroin' }))).toEqual(idsOf(FIXTURES.onlineMarkets, FIXTURES.cannabisDebate));
        expect(ids(await search({ q: 'darknet OR -(heroin OR cannabis OR 合作)' }))).toEqual(
          idsOf(FIXTURES.onlineMarkets, FIXTURES.scoRussian, FIXTURES.precursorsUndated),
        );
        expect(ids(await search({ q: '(禁毒 OR 经济) 会议' }))).toEqual(idsOf(FIXTURES.chineseMeeting));
        // A phrase stays inside one field: "Afghanistan" ends the title, "Customs" opens the text.
        expect(ids(await search({ q: '"Afghanistan customs"' }))).toEqual([]);
        const [hit] = (await search({ q: 'traffick* -cannabis OR heroin' })).hits;
        expect(hit.highlights.text?.join(' ')).toContain('<mark>traffickers</mark> moved <mark>heroin</mark>');
      });

      it('refuses a query it cannot read, naming the q parameter', async () => {
        for (const q of ['"unclosed', '(heroin OR opium', 'heroin)', 'a*', '?!']) {
          await expect(search({ q })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'q' });
        }
      });

      it('finds a Russian word by another inflected form', async () => {
        const result = await search({ q: 'наркотикам' });
        expect(ids(result)).toEqual(idsOf(FIXTURES.scoRussian));
        expect(result.hits[0].highlights.title).toEqual(['Страны ШОС усилят борьбу с незаконным оборотом <mark>наркотиков</mark>']);
        expect(result.hits[0].highlights.text?.join(' ')).toContain('<mark>наркотиками</mark>');
        expect(ids(await search({ q: 'прекурсоры' }))).toEqual(idsOf(FIXTURES.precursorsUndated));
      });

      it('finds a Chinese word inside a sentence without spaces', async () => {
        const result = await search({ q: '禁毒' });
        expect(ids(result)).toEqual(idsOf(FIXTURES.scoChinese));
        expect(result.hits[0].highlights.title).toEqual(['上合组织成员国加强<mark>禁毒</mark>合作']);
        expect(ids(await search({ q: '经济合作' }))).toEqual(idsOf(FIXTURES.chineseMeeting));
        expect(ids(await search({ q: '合作' }))).toEqual(idsOf(FIXTURES.scoChinese, FIXTURES.chineseMeeting));
        expect(ids(await search({ q: '禁合' }))).toEqual([]);
      });

      it('ranks a title hit above a hit in the text only', async () => {
        const result = await search({ q: 'cannabis' });
        expect(result.hits.map((hit) => hit.article.id)).toEqual([FIXTURES.cannabisDebate.id, FIXTURES.heroinRoutes.id]);
        expect(result.hits[0].score).toBeGreaterThan(result.hits[1].score);
      });

      it('escapes markup from a feed in highlights', async () => {
        const store = await fresh();
        const hostile = storedArticle({
          slug: 'hostile',
          title: '<script>alert("x")</script> Heroin & opium <b>report</b>',
          text: '<img src=x onerror=alert(1)> heroin',
        });
        await store.upsertMany([hostile]);
        await store.refresh();
        const [hit] = (await store.search({ q: 'heroin' })).hits;
        expect(hit.article.title).toBe(hostile.title);
        expect(hit.highlights.title).toEqual([
          '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Heroin</mark> &amp; opium &lt;b&gt;report&lt;/b&gt;',
        ]);
        expect(hit.highlights.text).toEqual(['&lt;img src=x onerror=alert(1)&gt; <mark>heroin</mark>']);
      });

      it('finds nothing for a word no article has, and everything for an empty query', async () => {
        expect(await search({ q: 'methamphetamine' })).toMatchObject({ total: 0, hits: [] });
        const all = await search({ size: 100 });
        expect(all.total).toBe(ALL_FIXTURES.length);
        expect(all.hits.every((hit) => Object.keys(hit.highlights).length === 0)).toBe(true);
      });
    });

    describe('filters, facets, pages', () => {
      it('filters by topics (any of), sources and languages', async () => {
        expect(ids(await search({ topics: ['anti-drug-cooperation'] }))).toEqual(idsOf(FIXTURES.scoRussian, FIXTURES.scoChinese));
        expect(ids(await search({ topics: ['precursors', 'online-drug-markets'] }))).toEqual(
          idsOf(FIXTURES.precursorsUndated, FIXTURES.onlineMarkets),
        );
        expect(ids(await search({ sources: ['un-news', 'sco-zh'] }))).toEqual(
          idsOf(FIXTURES.cannabisDebate, FIXTURES.scoChinese, FIXTURES.chineseMeeting),
        );
        expect(ids(await search({ languages: ['ru'] }))).toEqual(idsOf(FIXTURES.scoRussian, FIXTURES.precursorsUndated));
        expect(ids(await search({ q: 'Afghanistan', sources: ['un-news'] }))).toEqual(idsOf(FIXTURES.cannabisDebate));
        expect(ids(await search({ q: 'heroin', languages: ['ru'] }))).toEqual([]);
      });

      it('filters by an inclusive date range over publishedAt, else fetchedAt', async () => {
        expect(ids(await search({ from: '2024-03-11T00:00:00Z', to: '2024-03-31T23:59:59Z' }))).toEqual(
          idsOf(FIXTURES.onlineMarkets, FIXTURES.scoRussian, FIXTURES.scoChinese),
        );
        expect(ids(await search({ from: '2024-03-12T08:00:00Z', to: '2024-03-12T08:00:00Z' }))).toEqual(idsOf(FIXTURES.onlineMarkets));
        expect(ids(await search({ from: '2024-04-30T00:00:00Z' }))).toEqual(idsOf(FIXTURES.precursorsUndated));
        expect(ids(await search({ to: '2024-03-10T08:00:00+00:00' }))).toEqual(idsOf(FIXTURES.heroinRoutes));
      });

      it('counts facets over the whole filtered result, not only the page', async () => {
        const all = await search({ size: 1 });
        expect(all.total).toBe(ALL_FIXTURES.length);
        expect(all.hits).toHaveLength(1);
        expect(all.facets.topics).toEqual(expectedFacet(ALL_FIXTURES, (a) => a.topics.map((t) => t.id)));
        expect(all.facets.sources).toEqual(expectedFacet(ALL_FIXTURES, (a) => [a.sourceId]));
        expect(all.facets.languages).toEqual(expectedFacet(ALL_FIXTURES, (a) => [a.language]));
        expect(all.facets.languages).toEqual([
          { key: 'en', count: 3 },
          { key: 'ru', count: 2 },
          { key: 'zh', count: 2 },
        ]);

        const english = await search({ q: 'Afghanistan', size: 1 });
        const matched = [FIXTURES.heroinRoutes, FIXTURES.cannabisDebate];
        expect(english.total).toBe(2);
        expect(english.facets.topics).toEqual(expectedFacet(matched, (a) => a.topics.map((t) => t.id)));
        expect(english.facets.sources).toEqual([
          { key: 'un-news', count: 1 },
          { key: 'unodc', count: 1 },
        ]);
      });

      it('pages through results sorted by date, newest first', async () => {
        const byDate = [...ALL_FIXTURES].sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0)).map((a) => a.id);
        const seen: string[] = [];
        for (let page = 1; page <= 4; page++) {
          const result = await search({ sort: 'date', page, size: 2 });
          expect(result).toMatchObject({ total: ALL_FIXTURES.length, page, size: 2 });
          seen.push(...result.hits.map((hit) => hit.article.id));
        }
        expect(seen).toEqual(byDate);
        const beyond = await search({ sort: 'date', page: 5, size: 2 });
        expect(beyond.hits).toEqual([]);
        expect(beyond.total).toBe(ALL_FIXTURES.length);
        const matched = await search({ q: 'Afghanistan', sort: 'date' });
        expect(matched.hits.map((hit) => hit.article.id)).toEqual([FIXTURES.cannabisDebate.id, FIXTURES.heroinRoutes.id]);
      });

      it('caps the page size at 100', async () => {
        expect((await search({ size: 500 })).size).toBe(100);
      });
    });

    describe('collapsed by story', () => {
      // Three SCO reports in Russian and Chinese from two sources are one story, two UNODC reports another.
      const SCO = 'story-' + 'a'.repeat(20);
      const UNODC = 'story-' + 'b'.repeat(20);
      let stories: ArticleStore;
      const collapsed = (query: SearchQuery) => stories.search({ ...query, collapse: 'story' });
      /** The rows a collapse must give: the first hit of each story (or lone article) in the uncollapsed order. */
      const firstOfEachStory = (result: SearchResult) => {
        const seen = new Set<string>();
        return result.hits.filter((hit) => {
          const key = hit.article.storyId ?? hit.article.id;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      };

      beforeAll(async () => {
        stories = await fresh();
        expect((await stories.upsertMany(ALL_FIXTURES)).failed).toEqual([]);
        await stories.setStories(
          new Map([
            [FIXTURES.scoRussian.id, SCO],
            [FIXTURES.scoChinese.id, SCO],
            [FIXTURES.precursorsUndated.id, SCO],
          ]),
        );
        // An article may also arrive with its story already known (the indexer after the story stage).
        await stories.upsertMany([{ ...FIXTURES.heroinRoutes, storyId: UNODC }, { ...FIXTURES.onlineMarkets, storyId: UNODC }]);
        await stories.refresh();
      });

      it('gives one row per story, its newest article standing for it, and counts rows', async () => {
        const result = await collapsed({ sort: 'date' });
        expect(result.total).toBe(4);
        expect(result.hits.map((hit) => hit.article.id)).toEqual(
          [FIXTURES.precursorsUndated, FIXTURES.chineseMeeting, FIXTURES.cannabisDebate, FIXTURES.onlineMarkets].map((a) => a.id),
        );
        expect(result.hits.map((hit) => hit.story?.id)).toEqual([SCO, undefined, undefined, UNODC]);
        expect(result.hits[1]).not.toHaveProperty('story');
        expect(result.hits[0].story).toEqual({ id: SCO, articleCount: 3, languages: ['ru', 'zh'], otherLanguages: ['zh'], sourceCount: 2 });
        expect(result.hits[3].story).toEqual({ id: UNODC, articleCount: 2, languages: ['en'], otherLanguages: [], sourceCount: 1 });
        // Facets still count articles.
        expect(result.facets.languages).toEqual([
          { key: 'en', count: 3 },
          { key: 'ru', count: 2 },
          { key: 'zh', count: 2 },
        ]);
      });

      it('counts a story over all its articles, also those the filters leave out', async () => {
        const result = await collapsed({ languages: ['zh'], sort: 'date' });
        expect(result.total).toBe(2);
        expect(result.hits.map((hit) => hit.article.id)).toEqual([FIXTURES.chineseMeeting.id, FIXTURES.scoChinese.id]);
        expect(result.hits[1].story).toEqual({ id: SCO, articleCount: 3, languages: ['ru', 'zh'], otherLanguages: ['ru'], sourceCount: 2 });
      });

      it('lets the best-ranked matching article stand for its story', async () => {
        for (const q of ['heroin OR darknet OR cannabis', 'наркотиков OR прекурсорами OR 禁毒', 'Afghanistan OR markets']) {
          const plain = await stories.search({ q, size: 100 });
          const rows = await collapsed({ q, size: 100 });
          const expected = firstOfEachStory(plain);
          expect({ q, rows: rows.hits.map((hit) => hit.article.id) }).toEqual({ q, rows: expected.map((hit) => hit.article.id) });
          expect(rows.total).toBe(expected.length);
          expect(rows.hits.map((hit) => hit.score)).toEqual(expected.map((hit) => hit.score));
          expect(rows.hits.map((hit) => hit.highlights)).toEqual(expected.map((hit) => hit.highlights));
        }
      });

      it('pages through rows, each page counting every row', async () => {
        const all = (await collapsed({ sort: 'date' })).hits.map((hit) => hit.article.id);
        const seen: string[] = [];
        for (let page = 1; page <= 3; page++) {
          const result = await collapsed({ sort: 'date', page, size: 2 });
          expect(result).toMatchObject({ total: 4, page, size: 2 });
          seen.push(...result.hits.map((hit) => hit.article.id));
        }
        expect(seen).toEqual(all);
      });

      it('keeps one row per article without collapse', async () => {
        const result = await stories.search({ sort: 'date' });
        expect(result.total).toBe(ALL_FIXTURES.length);
        expect(result.hits.every((hit) => hit.story === undefined)).toBe(true);
      });
    });

    describe('reading back', () => {
      it('gets an article by id, or null', async () => {
        expect(await seeded.get(FIXTURES.scoRussian.id)).toEqual(FIXTURES.scoRussian);
        expect(await seeded.get('a' + 'f'.repeat(31))).toBeNull();
      });

      it('scans every article in id order, a page at a time', async () => {
        const pages: StoredArticle[][] = [];
        for await (const page of seeded.scan(3)) pages.push(page);
        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
        const scanned = pages.flat();
        expect(scanned.map((a) => a.id)).toEqual(ALL_FIXTURES.map((a) => a.id).sort());
        expect(scanned.find((a) => a.id === FIXTURES.scoChinese.id)).toEqual(FIXTURES.scoChinese);
      });

      it('counts articles per topic per UTC day since a date', async () => {
        const since = '2024-03-12T00:00:00Z';
        const expected: { topic: TopicId; day: string; count: number }[] = [];
        for (const article of ALL_FIXTURES) {
          if (at(article) < since) continue;
          for (const topic of article.topics) {
            const day = new Date(at(article)).toISOString().slice(0, 10);
            const entry = expected.find((e) => e.topic === topic.id && e.day === day);
            if (entry) entry.count++;
            else expected.push({ topic: topic.id, day, count: 1 });
          }
        }
        expected.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
        expect(await seeded.topicCountsByDay(since)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(3);
      });

      it('reports itself healthy with its document count', async () => {
        expect(await seeded.health()).toMatchObject({ up: true, documents: ALL_FIXTURES.length });
      });
    });
  });
}
