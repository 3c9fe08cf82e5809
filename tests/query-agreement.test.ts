import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { ClassifiedArticle, StoredArticle } from '@monitor/contracts';
import { Subscription, SubscriptionMatcher, parseSubscriptionInput } from '@monitor/alerts';
import { ArticleStore, SearchResult } from '@monitor/search';
import { ElasticArticleStore } from '@monitor/search-elastic';
import { SqliteArticleStore } from '@monitor/search-sqlite';
import { storedArticle } from '@monitor/search/testing';
import { ensureElasticsearch } from './infra-servers';

jest.setTimeout(300_000);

/**
 * One query language, three engines: a few hundred seeded random queries (words, phrases, OR,
 * exclusions, prefixes, parentheses; English, Russian, Chinese) must select the same articles in
 * the SQLite FTS5 store, in a real Elasticsearch store and in the subscription matcher.
 */

// Written for this test: short news items in three languages, with inflected forms, shared words
// and Chinese compounds that overlap (合作 in several, 禁毒 in some), so queries split the corpus.
const CORPUS: Array<{ language: string; title: string; text: string }> = [
  { language: 'en', title: 'Port police intercept cocaine hidden in banana crates', text: 'Officers found the packages during a routine inspection; two dock workers were detained for questioning.' },
  { language: 'en', title: 'Regional ministers agree on joint patrols', text: 'The agreement covers river crossings where smugglers moved opium and synthetic drugs last year.' },
  { language: 'en', title: 'Laboratory dismantled in a forest camp', text: 'Investigators seized precursor chemicals and equipment used to produce methamphetamine tablets.' },
  { language: 'en', title: 'Treatment services expand in northern provinces', text: 'Health workers reported fewer overdoses after clinics opened; the ministry plans more prevention work with schools.' },
  { language: 'en', title: 'Court sentences trafficking network leaders', text: 'The judges heard that the network shipped heroin by road and paid couriers in cash.' },
  { language: 'en', title: 'Customs data show more seizures at the border', text: 'Seized shipments of cannabis resin doubled, while heroin seizures fell slightly.' },
  { language: 'ru', title: 'Пограничники задержали партию героина', text: 'Наркотики были спрятаны в грузовике с овощами; водитель задержан, возбуждено уголовное дело.' },
  { language: 'ru', title: 'Министры обсудили сотрудничество в борьбе с наркотиками', text: 'Стороны договорились обмениваться сведениями о каналах контрабанды и проводить совместные операции.' },
  { language: 'ru', title: 'В лесу обнаружена подпольная лаборатория', text: 'Полицейские изъяли химические вещества и оборудование для производства синтетических наркотиков.' },
  { language: 'ru', title: 'Врачи рассказали о профилактике зависимости', text: 'Программа профилактики охватит школы и колледжи области; министерство выделило средства.' },
  { language: 'zh', title: '边境警方查获大批毒品', text: '警方在一辆货车中发现海洛因，司机已被拘留，案件正在进一步调查。' },
  { language: 'zh', title: '各国部长同意加强禁毒合作', text: '会议决定定期交换情报，并开展联合行动打击跨境贩毒。' },
  { language: 'zh', title: '地区经济合作论坛开幕', text: '与会代表讨论了交通和贸易项目，没有涉及毒品问题。' },
  { language: 'zh', title: '学校开展禁毒宣传活动', text: '老师和医生向学生介绍毒品的危害以及预防方法。' },
  { language: 'en', title: 'Joint operation with 上合组织 partners', text: 'Officers from five states took part; 禁毒合作 was the theme of the closing meeting.' },
];

const SOURCE_BY_LANGUAGE: Record<string, string> = { en: 'unodc', ru: 'sco-ru', zh: 'sco-zh' };
const ARTICLES: StoredArticle[] = CORPUS.map((item, i) =>
  storedArticle({ slug: `agreement-${i}`, sourceId: SOURCE_BY_LANGUAGE[item.language], ...item, topics: ['counter-narcotics-operations'], publishedAt: `2024-05-${String(i + 1).padStart(2, '0')}T08:00:00Z` }),
);

// Words to ask for: inflected forms of the corpus's words and a few that occur nowhere.
const WORDS = {
  en: ['police', 'cocaine', 'officer', 'ministers', 'joint', 'opium', 'drug', 'seizure', 'seized', 'heroin', 'network', 'trafficker', 'health', 'school', 'border', 'cannabis', 'court', 'laboratories', 'the', 'in', 'fentanyl', 'camp', 'shipment', 'prevention', 'meeting'],
  ru: ['наркотик', 'наркотиков', 'героин', 'героина', 'министр', 'сотрудничества', 'лаборатория', 'профилактика', 'школ', 'задержан', 'операциями', 'контрабанду', 'в', 'с', 'кокаин', 'оборудования'],
  zh: ['毒品', '禁毒', '合作', '禁毒合作', '警方', '海洛因', '会议', '经济', '学校', '贩毒', '查获', '组织', '上合', '大麻', '合', '毒'],
};
const PHRASES = [
  'joint patrols', 'heroin seizures', 'precursor chemicals', 'trafficking network', 'patrols joint', 'dock workers', 'cannabis resin',
  'партию героина', 'совместные операции', 'героина партию', 'синтетических наркотиков',
  '禁毒合作', '经济合作', '交换情报', '毒品的危害',
];
const PREFIXES = ['traff', 'seiz', 'offic', 'minist', 'her', 'co', 'наркот', 'задерж', 'лаборатор', 'проф', 'he', 'pre'];

/** xorshift32: a seeded, reproducible stream of numbers in [0, 1). */
function randomStream(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function generateQueries(count: number, seed: number): string[] {
  const rnd = randomStream(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const language = () => pick(['en', 'en', 'ru', 'zh'] as const);
  const leaf = (): string => {
    const r = rnd();
    if (r < 0.15) return `"${pick(PHRASES)}"`;
    if (r < 0.3) return `${pick(PREFIXES)}*`;
    return pick(WORDS[language()]);
  };
  const item = (depth: number): string => {
    const r = rnd();
    const body = r < 0.2 && depth < 2 ? `(${group(depth + 1)})` : leaf();
    return rnd() < 0.2 ? `-${body}` : body;
  };
  const conjunction = (depth: number) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => item(depth)).join(' ');
  const group = (depth: number): string => {
    const parts = [conjunction(depth)];
    while (rnd() < 0.35 && parts.length < 3) parts.push(conjunction(depth));
    return parts.join(rnd() < 0.8 ? ' OR ' : ' | ');
  };
  return Array.from({ length: count }, () => group(0));
}

const QUERIES = generateQueries(300, 20240501);

// Stories over the corpus, across languages (by index into CORPUS); the rest stay without one.
const STORY_MEMBERS: number[][] = [
  [1, 7, 11, 14], // ministers agree on joint work against drugs
  [5, 6, 10], // heroin seized at the border
  [2, 8], // a laboratory found in a forest
  [3, 9, 13], // prevention and treatment
];
const STORIES = new Map<string, string>(
  STORY_MEMBERS.flatMap((members, s) => members.map((i): [string, string] => [ARTICLES[i].id, `story-${String(s).padStart(20, '0')}`])),
);
const storyKey = (id: string) => STORIES.get(id) ?? id;

let url = '';
let admin: Client;
let sqlite: ArticleStore;
let elastic: ElasticArticleStore;
let matcher: SubscriptionMatcher;

beforeAll(async () => {
  url = (await ensureElasticsearch()).url;
  admin = new Client({ node: url });
  sqlite = new SqliteArticleStore({ db: new Database(':memory:'), closeDatabase: true });
  elastic = new ElasticArticleStore({ node: url, alias: `test-agreement-${randomUUID().slice(0, 8)}` });
  for (const store of [sqlite, elastic]) {
    await store.init();
    expect((await store.upsertMany(ARTICLES)).failed).toEqual([]);
    expect((await store.setStories(STORIES)).sort()).toEqual([...STORIES.keys()].sort());
    await store.refresh();
  }
  const now = new Date().toISOString();
  matcher = new SubscriptionMatcher(
    QUERIES.map((query, i): Subscription => ({ ...parseSubscriptionInput({ query }), id: `q${i}`, ownerKeyId: 'k', createdAt: now, updatedAt: now })),
  );
}, 10 * 60_000);

afterAll(async () => {
  await sqlite?.close();
  if (elastic) {
    await admin.indices.delete({ index: elastic.index }, { ignore: [404] });
    await admin.indices.deleteIndexTemplate({ name: elastic.templateName }, { ignore: [404] });
    await elastic.close();
  }
  await admin?.close();
});

const searchIds = async (store: ArticleStore, q: string) => {
  const result = await store.search({ q, size: 100 });
  expect(result.total).toBe(result.hits.length);
  return result.hits.map((hit) => hit.article.id).sort();
};

describe('one query language in search and subscriptions', () => {
  it('generates a varied set of queries', () => {
    expect(new Set(QUERIES).size).toBeGreaterThan(250);
    for (const feature of [/"/, /\*/, /\(/, / OR | \| /, /(^|[\s(])-/, /\p{Script=Han}/u, /\p{Script=Cyrillic}/u]) {
      expect([String(feature), QUERIES.filter((q) => feature.test(q)).length > 15]).toEqual([String(feature), true]);
    }
  });

  it('selects the same articles in SQLite FTS5, Elasticsearch and the subscription matcher', async () => {
    const byQuery = new Map<string, string[]>(QUERIES.map((_, i) => [`q${i}`, []]));
    for (const article of ARTICLES) {
      const classified: ClassifiedArticle = { schema: 'news.classified.v1', ...article };
      for (const subscription of matcher.match(classified)) byQuery.get(subscription.id)!.push(article.id);
    }
    let nonTrivial = 0;
    for (const [i, q] of QUERIES.entries()) {
      const subscriptions = byQuery.get(`q${i}`)!.sort();
      const fts5 = await searchIds(sqlite, q);
      const es = await searchIds(elastic, q);
      expect({ q, fts5, es }).toEqual({ q, fts5: subscriptions, es: subscriptions });
      if (subscriptions.length > 0 && subscriptions.length < ARTICLES.length) nonTrivial++;
    }
    // Agreement means something only if the queries split the corpus.
    expect(nonTrivial).toBeGreaterThan(150);
  });
});

describe('one query language in search collapsed by story', () => {
  /** Rows of a collapsed search as comparable values: the article standing for each row and its story. */
  const rowsOf = (result: SearchResult) => result.hits.map((hit) => ({ id: hit.article.id, story: hit.story ?? null }));
  const firstOfEachStory = (result: SearchResult) => {
    const seen = new Set<string>();
    return result.hits.filter((hit) => !seen.has(storyKey(hit.article.id)) && seen.add(storyKey(hit.article.id)));
  };

  it('gives the same rows, with the same stories, in SQLite FTS5 and Elasticsearch', async () => {
    const byQuery = new Map<string, Set<string>>(QUERIES.map((_, i) => [`q${i}`, new Set()]));
    for (const article of ARTICLES) {
      const classified: ClassifiedArticle = { schema: 'news.classified.v1', ...article };
      for (const subscription of matcher.match(classified)) byQuery.get(subscription.id)!.add(storyKey(article.id));
    }
    let merged = 0;
    for (const [i, q] of QUERIES.entries()) {
      const keys = [...byQuery.get(`q${i}`)!].sort();
      const [fts5, es] = await Promise.all([sqlite, elastic].map((store) => store.search({ q, size: 100, sort: 'date', collapse: 'story' })));
      // By date the article standing for each story is the same in both: its newest match.
      expect({ q, total: fts5.total, rows: rowsOf(fts5) }).toEqual({ q, total: es.total, rows: rowsOf(es) });
      expect({ q, keys: fts5.hits.map((hit) => storyKey(hit.article.id)).sort() }).toEqual({ q, keys });
      expect(fts5.total).toBe(keys.length);
      // By relevance each engine ranks by its own BM25; each must let its own best match stand for the story.
      for (const store of [sqlite, elastic]) {
        const [plain, collapsed] = await Promise.all([store.search({ q, size: 100 }), store.search({ q, size: 100, collapse: 'story' })]);
        expect({ q, rows: collapsed.hits.map((hit) => hit.article.id) }).toEqual({ q, rows: firstOfEachStory(plain).map((hit) => hit.article.id) });
        expect(collapsed.total).toBe(keys.length);
      }
      for (const hit of fts5.hits.filter((row) => row.story)) {
        const members = [...STORIES].filter(([, story]) => story === hit.story!.id).map(([id]) => ARTICLES.find((article) => article.id === id)!);
        expect(hit.story).toEqual({
          id: hit.article.storyId,
          articleCount: members.length,
          languages: [...new Set(members.map((article) => article.language))].sort(),
          otherLanguages: [...new Set(members.map((article) => article.language))].filter((language) => language !== hit.article.language).sort(),
          sourceCount: new Set(members.map((article) => article.sourceId)).size,
        });
      }
      const matchedArticles = fts5.facets.languages.reduce((sum, bucket) => sum + bucket.count, 0);
      if (matchedArticles > keys.length) merged++;
    }
    // Collapsing means something only if many queries matched several articles of one story.
    expect(merged).toBeGreaterThan(50);
  });
});
