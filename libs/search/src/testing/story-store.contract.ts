import { StoryMember, StoryStore } from '../story-store.port';
import { decodeStoryCursor } from '../story-listing';

export interface StoryStoreContractContext {
  /** A new, empty store of the adapter under test, already initialised. */
  create(): Promise<StoryStore>;
  /** Releases what create() made (drops indices, closes files); defaults to store.close(). */
  dispose?(store: StoryStore): Promise<void>;
}

let seq = 0;
/** A member of a story, as the story stage records one. */
export function storyMember(articleId: string, storyId: string, fields: Partial<StoryMember> = {}): StoryMember {
  return {
    articleId,
    storyId,
    seq: ++seq,
    title: `title of ${articleId}`,
    text: `text of ${articleId}`,
    url: `https://news.example.org/${articleId}`,
    language: 'en',
    sourceId: 'unodc',
    publishedAt: '2024-03-01T09:00:00.000Z',
    topics: [],
    ...fields,
  };
}

const hour = 3600_000;
const at = (hours: number) => new Date(Date.parse('2024-03-01T00:00:00.000Z') + hours * hour).toISOString();

/**
 * The behaviour every adapter of the story port must show; the SQLite adapter and the
 * Elasticsearch adapter both run it.
 */
export function describeStoryStoreContract(name: string, context: StoryStoreContractContext): void {
  describe(`StoryStore contract: ${name}`, () => {
    const open: StoryStore[] = [];
    const fresh = async () => {
      const store = await context.create();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await (context.dispose ? context.dispose(store) : store.close());
    });

    it('keeps a story of several languages and sources, its articles oldest first', async () => {
      const store = await fresh();
      const recorded = await store.record([
        storyMember('a-en', 's1', { title: 'Opening report', publishedAt: at(2), topics: ['precursors'] }),
        storyMember('a-ru', 's1', { language: 'ru', sourceId: 'tass', publishedAt: at(1), topics: ['anti-drug-cooperation'] }),
        storyMember('a-zh', 's1', { language: 'zh', sourceId: 'xinhua', sourceName: 'Xinhua', publishedAt: at(5) }),
        storyMember('b-en', 's2', { publishedAt: at(3) }),
      ]);
      expect(recorded.map((r) => [r.articleId, r.storyId])).toEqual([['a-en', 's1'], ['a-ru', 's1'], ['a-zh', 's1'], ['b-en', 's2']]);
      expect(recorded[2].story).toEqual({
        id: 's1',
        title: 'Opening report',
        articleCount: 3,
        languages: ['en', 'ru', 'zh'],
        sources: ['tass', 'unodc', 'xinhua'],
        topics: ['anti-drug-cooperation', 'precursors'],
        firstSeen: at(1),
        lastSeen: at(5),
      });
      // What the write returned is what the store then reads.
      expect(recorded[0].story.articleCount).toBeGreaterThanOrEqual(1);
      const story = await store.get('s1');
      expect(story).toMatchObject(recorded[2].story);
      expect(story!.articles.map((a) => a.id)).toEqual(['a-ru', 'a-en', 'a-zh']);
      expect(story!.articles[2]).toEqual({ id: 'a-zh', title: 'title of a-zh', url: 'https://news.example.org/a-zh', language: 'zh', sourceId: 'xinhua', sourceName: 'Xinhua', publishedAt: at(5) });
      expect(await store.get('s-unknown')).toBeNull();
    });

    it('keeps the first story of an article: a replay or a second decision changes and doubles nothing', async () => {
      const store = await fresh();
      await store.record([storyMember('a', 's1', { publishedAt: at(1) }), storyMember('b', 's1', { publishedAt: at(2) })]);
      const again = await store.record([storyMember('b', 's1', { publishedAt: at(2) }), storyMember('a', 's9', { publishedAt: at(9) }), storyMember('c', 's1', { publishedAt: at(3) })]);
      expect(again.map((r) => r.storyId)).toEqual(['s1', 's1', 's1']);
      expect(again[2].story).toMatchObject({ articleCount: 3, firstSeen: at(1), lastSeen: at(3) });
      expect(await store.get('s9')).toBeNull();
      expect((await store.get('s1'))!.articles.map((a) => a.id)).toEqual(['a', 'b', 'c']);
      expect(await store.storiesOf(['a', 'c', 'nobody'])).toEqual(new Map([['a', 's1'], ['c', 's1']]));
    });

    it('gives back the window of members in the order they were recorded, with what assignment reads', async () => {
      const store = await fresh();
      expect(await store.window(48 * hour)).toEqual([]);
      const old = storyMember('old', 's0', { publishedAt: at(0) });
      const late = storyMember('late', 's1', { publishedAt: at(100), text: 'the body', topics: ['precursors'], sourceName: 'UNODC' });
      const early = storyMember('early', 's1', { publishedAt: at(60), language: 'ru' });
      await store.record([old, late]);
      await store.record([early]);
      await store.refresh();
      expect(await store.window(48 * hour)).toEqual([late, early]);
      expect((await store.window(200 * hour)).map((m) => m.articleId)).toEqual(['old', 'late', 'early']);
    });

    it('lists stories latest first with filters, a page at a time', async () => {
      const store = await fresh();
      await store.record([
        storyMember('a1', 'sa', { publishedAt: at(1), topics: ['precursors'] }),
        storyMember('b1', 'sb', { publishedAt: at(2), language: 'ru' }),
        storyMember('c1', 'sc', { publishedAt: at(3), language: 'zh', topics: ['golden-triangle'] }),
        storyMember('a2', 'sa', { publishedAt: at(10), language: 'ru' }),
        storyMember('d1', 'sd', { publishedAt: at(3) }),
      ]);
      await store.refresh();
      const ids = async (query: Parameters<StoryStore['list']>[0]) => (await store.list(query)).stories.map((s) => s.id);
      expect(await ids({})).toEqual(['sa', 'sc', 'sd', 'sb']);
      expect(await ids({ topics: ['precursors', 'golden-triangle'] })).toEqual(['sa', 'sc']);
      expect(await ids({ languages: ['ru'] })).toEqual(['sa', 'sb']);
      expect(await ids({ from: at(3), to: at(5) })).toEqual(['sa', 'sc', 'sd']);
      expect(await ids({ to: at(1) })).toEqual(['sa']);

      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await store.list({ limit: 3, cursor });
        seen.push(...result.stories.map((s) => s.id));
        if (!result.nextCursor) break;
        expect(decodeStoryCursor(result.nextCursor).id).toBe(result.stories[2].id);
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(['sa', 'sc', 'sd', 'sb']);
      expect(await store.list({ limit: 4 })).toMatchObject({ nextCursor: null });
    });
  });
}
