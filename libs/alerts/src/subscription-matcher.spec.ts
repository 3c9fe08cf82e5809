import { SubscriptionMatcher, subscriptionMatches } from './subscription-matcher';
import { analyzeDocument, parseQuery, requiredKeys } from '@monitor/query';
import { seededRandom } from '@monitor/contracts';
import { syntheticArticle, syntheticSubscriptions } from './testing/synthetic-subscriptions';
import { MemorySubscriptionStore } from './testing/memory-subscription.store';
import { sampleArticle } from './testing/sample-articles';

describe('SubscriptionMatcher', () => {
  let store: MemorySubscriptionStore;
  let matcher: SubscriptionMatcher;
  beforeEach(() => {
    store = new MemorySubscriptionStore();
    matcher = SubscriptionMatcher.fromStore(store);
  });

  const ids = (article = sampleArticle()) => matcher.match(article).map((s) => s.id).sort();

  it('matches by topic, with any and all modes', async () => {
    const ops = await store.create('k', { topics: ['counter-narcotics-operations'] });
    const either = await store.create('k', { topics: ['precursors', 'afghanistan-opiates'] });
    const both = await store.create('k', { topics: ['precursors', 'afghanistan-opiates'], topicsMode: 'all' });
    expect(ids(sampleArticle({ topics: [['counter-narcotics-operations', 2]] }))).toEqual([ops.id]);
    expect(ids(sampleArticle({ topics: [['precursors', 2]] }))).toEqual([either.id]);
    expect(ids(sampleArticle({ topics: [['afghanistan-opiates', 1], ['precursors', 2]] }))).toEqual([either.id, both.id].sort());
  });

  it('matches per-article and per-story subscriptions apart when asked which, and follows a change of per', async () => {
    const perStory = await store.create('k', { query: 'heroin' });
    const perArticle = await store.create('k', { query: 'heroin', per: 'article' });
    const article = sampleArticle();
    expect(matcher.match(article, 'article').map((s) => s.id)).toEqual([perArticle.id]);
    expect(matcher.match(article, 'story').map((s) => s.id)).toEqual([perStory.id]);
    expect(ids(article)).toEqual([perStory.id, perArticle.id].sort());
    await store.update('k', perStory.id, { per: 'article' });
    expect(matcher.match(article, 'article').map((s) => s.id).sort()).toEqual([perStory.id, perArticle.id].sort());
    expect(matcher.match(article, 'story')).toEqual([]);
  });

  it('an any-topic subscription needs some topic at or above its minScore', async () => {
    const any = await store.create('k', { minScore: 2 });
    expect(ids(sampleArticle({ topics: [] }))).toEqual([]);
    expect(ids(sampleArticle({ topics: [['precursors', 1.5]] }))).toEqual([]);
    expect(ids(sampleArticle({ topics: [['precursors', 2]] }))).toEqual([any.id]);
  });

  it('applies minScore to the subscribed topics only', async () => {
    const s = await store.create('k', { topics: ['precursors'], minScore: 3 });
    expect(ids(sampleArticle({ topics: [['precursors', 1], ['golden-triangle', 9]] }))).toEqual([]);
    expect(ids(sampleArticle({ topics: [['precursors', 3.5]] }))).toEqual([s.id]);
  });

  it('filters by source and language (a base language covers its variants)', async () => {
    const s = await store.create('k', { sources: ['sco-ru'], languages: ['ru', 'zh'] });
    expect(ids(sampleArticle({ sourceId: 'unodc', language: 'ru' }))).toEqual([]);
    expect(ids(sampleArticle({ sourceId: 'sco-ru', language: 'en' }))).toEqual([]);
    expect(ids(sampleArticle({ sourceId: 'sco-ru', language: 'ru' }))).toEqual([s.id]);
    expect(ids(sampleArticle({ sourceId: 'sco-ru', language: 'zh-CN' }))).toEqual([s.id]);
  });

  it('evaluates the query over title and text of candidates', async () => {
    const s = await store.create('k', { topics: ['counter-narcotics-operations'], query: 'heroin -cocaine' });
    expect(ids(sampleArticle())).toEqual([s.id]);
    expect(ids(sampleArticle({ title: 'Cocaine and heroin seized' }))).toEqual([]);
    expect(ids(sampleArticle({ title: 'Officers seize cannabis', text: 'A large cannabis field was destroyed.' }))).toEqual([]);
  });

  it('follows creates, updates and deletes of the store', async () => {
    const s = await store.create('k', { topics: ['precursors'] });
    const article = sampleArticle({ topics: [['precursors', 1]] });
    expect(ids(article)).toEqual([s.id]);
    await store.update('k', s.id, { topics: ['golden-triangle'] });
    expect(ids(article)).toEqual([]);
    await store.update('k', s.id, { topics: ['precursors'] });
    expect(ids(article)).toEqual([s.id]);
    await store.delete('k', s.id);
    expect(ids(article)).toEqual([]);
    expect(matcher.size).toBe(0);
  });

  it('reloads when another replica changed the shared store', async () => {
    const other = store.sibling();
    const lonely = new SubscriptionMatcher();
    expect(await lonely.sync(store)).toBe(true);
    expect(await lonely.sync(store)).toBe(false);
    const s = await other.create('k', { topics: ['precursors'] });
    expect(await lonely.sync(store)).toBe(true);
    expect(lonely.match(sampleArticle({ topics: [['precursors', 1]] })).map((x) => x.id)).toEqual([s.id]);
  });

  it('with thousands of subscriptions, gives the same answer as trying each one', async () => {
    const topics = ['precursors', 'golden-triangle', 'afghanistan-opiates', 'narcoterrorism'] as const;
    const queries = [undefined, 'heroin', 'cocaine OR heroin', '"joint operation"', '-heroin'];
    for (let i = 0; i < 3000; i++) {
      await store.create(`k${i % 7}`, {
        topics: i % 11 === 0 ? [] : [topics[i % 4], ...(i % 3 === 0 ? [topics[(i + 1) % 4]] : [])],
        topicsMode: i % 3 === 0 && i % 2 === 0 && i % 11 !== 0 ? 'all' : 'any',
        query: queries[i % 5],
        minScore: i % 4,
        languages: i % 13 === 0 ? ['ru'] : [],
      });
    }
    const article = sampleArticle({ topics: [['precursors', 2], ['golden-triangle', 3]] });
    const fromIndex = ids(article);
    const brute = (await store.all()).filter((s) => new SubscriptionMatcher([s]).match(article).length === 1).map((s) => s.id).sort();
    expect(fromIndex).toEqual(brute);
    expect(fromIndex.length).toBeGreaterThan(100);
  });
});

describe('SubscriptionMatcher index', () => {
  it('gives the same answers as trying every subscription, over random subscriptions and articles', () => {
    const subscriptions = syntheticSubscriptions(1500, 7);
    const matcher = new SubscriptionMatcher(subscriptions);
    const queries = new Map(subscriptions.map((s) => [s.id, s.query ? parseQuery(s.query) : null]));
    const rnd = seededRandom(11);
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const article = syntheticArticle(rnd);
      const fast = matcher.match(article).map((s) => s.id).sort();
      const analysed = analyzeDocument([article.title, article.text]);
      const slow = subscriptions.filter((s) => subscriptionMatches(s, article, analysed, queries.get(s.id))).map((s) => s.id).sort();
      expect(fast).toEqual(slow);
      total += slow.length;
    }
    // The comparison means something only if there were matches, with and without queries.
    expect(total).toBeGreaterThan(300);
  });

  it('files a query under its required words, and keeps exclusions, prefixes, Russian endings and Chinese exact', () => {
    const cases: Array<[string, string, string, boolean]> = [
      ['heroin seizure', 'en', 'Police seized heroin; the seizures continue', true],
      ['heroin seizure', 'en', 'Police seized opium', false],
      ['traffick*', 'en', 'Traffickers arrested', true],
      ['"northern route"', 'en', 'along the northern routes of trafficking', true],
      ['-cannabis', 'en', 'A report on opium', true],
      ['-cannabis', 'en', 'A report on cannabis', false],
      ['Афганистан', 'ru', 'Героин из Афганистана изъяли на границе', true],
      ['金三角 禁毒', 'zh', '金三角地区开展禁毒合作', true],
      ['金三角', 'zh', '上海合作组织禁毒会议', false],
      ['opium OR cocaine', 'en', 'Cocaine shipment stopped in port', true],
    ];
    const matcher = new SubscriptionMatcher();
    for (const [i, [query, language, text, expected]] of cases.entries()) {
      const subscription = { ...syntheticSubscriptions(1, i)[0], id: `q${i}`, query, topics: [], sources: [], languages: [], minScore: 0, topicsMode: 'any' as const };
      matcher.upsert(subscription);
      const article = sampleArticle({ title: '', text, language, topics: [['precursors', 1]] });
      expect([query, matcher.match(article).some((s) => s.id === `q${i}`)]).toEqual([query, expected]);
      expect(subscriptionMatches(subscription, article)).toBe(expected);
      matcher.remove(`q${i}`);
    }
    expect(requiredKeys(parseQuery('heroin -opium').root)).toEqual(['t:heroin']);
    expect(requiredKeys(parseQuery('-opium').root)).toBeNull();
  });

  it('keeps a stored subscription whose query no longer parses, matching nothing but still taking spike alerts', () => {
    const stale = { ...syntheticSubscriptions(1, 3)[0], id: 'stale', query: 'heroin OR', topics: [], sources: [], languages: [], minScore: 0, spikeAlerts: true };
    const matcher = new SubscriptionMatcher([stale]);
    const article = sampleArticle({ title: 'heroin OR opium', topics: [['precursors', 1]] });
    expect(matcher.match(article)).toEqual([]);
    expect(subscriptionMatches(stale, article)).toBe(false);
    expect(matcher.spikeSubscribers('precursors').map((s) => s.id)).toEqual(['stale']);
    matcher.remove('stale');
    expect(matcher.size).toBe(0);
  });
});
