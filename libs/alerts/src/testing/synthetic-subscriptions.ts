import { ClassifiedArticle, TOPIC_IDS, TopicId, articleIdFromUrl, seededRandom } from '@monitor/contracts';
import { Subscription, parseSubscriptionInput } from '../subscription';

/**
 * Seeded random subscriptions and articles for the matcher's equivalence test and the alerts
 * benchmark: mixed topics, modes, scores, sources, languages and queries (words, prefixes,
 * phrases, OR, exclusions, Russian and Chinese), over a vocabulary written for this purpose.
 */

const EN = [
  'heroin', 'opium', 'poppy', 'cocaine', 'methamphetamine', 'precursor', 'precursors', 'seizure', 'seized', 'seizing', 'border',
  'customs', 'police', 'trafficking', 'traffickers', 'trafficked', 'laboratory', 'laboratories', 'cannabis', 'legalisation',
  'darknet', 'market', 'markets', 'cooperation', 'convention', 'ministers', 'treatment', 'overdose', 'afghanistan', 'myanmar',
  'laos', 'thailand', 'tonnes', 'kilograms', 'operation', 'operations', 'joint', 'agency', 'report', 'annual', 'survey',
  'cultivation', 'fentanyl', 'synthetic', 'route', 'northern', 'officers', 'arrested', 'network', 'networks', 'summit',
  'meeting', 'declaration', 'prevention', 'youth', 'health', 'financing', 'terrorism', 'chemicals', 'shipment', 'port',
];
const RU = [
  'героин', 'опий', 'наркотики', 'наркотиков', 'изъятие', 'изъяли', 'граница', 'границе', 'афганистан', 'афганистана',
  'афганистаном', 'сотрудничество', 'шос', 'операция', 'операции', 'лаборатория', 'прекурсоры', 'контрабанда', 'пограничники',
  'задержали', 'килограммов', 'совещание', 'министры', 'профилактика',
];
const ZH = ['海洛因', '毒品', '禁毒', '合作', '上海合作组织', '缉毒', '行动', '边境', '金三角', '易制毒化学品', '查获', '公斤', '会议'];
const SOURCES = ['unodc', 'sco', 'incb', 'un-news', 'emcdda', 'interpol'];

// News text is mostly words no subscription asks for: a few thousand made-up words, drawn with a
// skew (some common, most rare), fill the articles around the domain words above.
const SYLLABLES = {
  en: ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'de', 'ba', 'go', 'pe', 'zu', 'xi', 'fa', 'ho'],
  ru: ['ка', 'ло', 'ми', 'не', 'ру', 'са', 'ти', 'во', 'де', 'ба', 'го', 'пе', 'зу', 'хи', 'фа', 'жо'],
  zh: ['国', '家', '人', '民', '发', '展', '会', '议', '经', '济', '文', '化', '城', '市', '交', '通'],
};
const fillerWords = (syllables: string[]) =>
  Array.from({ length: 4000 }, (_, i) => {
    let word = '';
    for (let n = i + 16; n > 0; n = Math.floor(n / 16)) word += syllables[n % 16];
    return word;
  });
const FILLER = { en: fillerWords(SYLLABLES.en), ru: fillerWords(SYLLABLES.ru), zh: fillerWords(SYLLABLES.zh) };
const filler = (rnd: () => number, language: 'en' | 'ru' | 'zh') => FILLER[language][Math.floor(4000 * rnd() ** 1.5)];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function queryFor(rnd: () => number): string {
  const lang = rnd();
  if (lang < 0.1) return pick(rnd, rnd() < 0.5 ? ZH : FILLER.zh) + (rnd() < 0.3 ? ' ' + pick(rnd, ZH) : '');
  const words = lang < 0.25 ? RU : EN;
  const word = () => {
    // Analysts ask for the telling words, which are the rarer ones.
    if (rnd() < 0.8) return FILLER[words === EN ? 'en' : 'ru'][Math.floor(4000 * rnd() ** (1 / 3))];
    const w = pick(rnd, words);
    return rnd() < 0.25 && w.length > 5 ? w.slice(0, 4 + Math.floor(rnd() * 2)) + '*' : w;
  };
  const shape = rnd();
  if (shape < 0.3) return word();
  if (shape < 0.55) return `${word()} ${word()}`;
  if (shape < 0.7) return `"${pick(rnd, words)} ${pick(rnd, words)}"`;
  if (shape < 0.82) return `${word()} OR ${word()}${rnd() < 0.5 ? ' OR ' + word() : ''}`;
  if (shape < 0.9) return `(${word()} | ${word()}) ${word()}`;
  if (shape < 0.999) return `${word()} -${word()}`;
  return `-${word()}${rnd() < 0.5 ? ' -"' + pick(rnd, words) + ' ' + pick(rnd, words) + '"' : ''}`;
}

/** A subscription input (what a client would POST), random but valid. */
export function syntheticSubscriptionInput(rnd: () => number, webhookUrl?: string): Record<string, unknown> {
  const topicCount = rnd() < 0.2 ? 0 : 1 + Math.floor(rnd() * 3);
  const topics = [...new Set(Array.from({ length: topicCount }, () => pick(rnd, TOPIC_IDS)))];
  const withQuery = rnd() < 0.9;
  const input: Record<string, unknown> = {
    name: `synthetic ${Math.floor(rnd() * 1e9)}`,
    topics,
    topicsMode: topics.length > 1 && rnd() < 0.3 ? 'all' : 'any',
    // Analysts without a query narrow by score and source instead.
    minScore: withQuery && rnd() < 0.5 ? 0 : Math.round((withQuery ? rnd() * 4 : 4.3 + rnd() * 0.7) * 10) / 10,
    // Per article, so that what is measured and checked on news.classified.v1 is what it was before stories.
    per: 'article',
  };
  if (withQuery) input.query = queryFor(rnd);
  if (rnd() < (withQuery ? 0.2 : 0.9)) input.sources = [pick(rnd, SOURCES), ...(rnd() < 0.4 ? [pick(rnd, SOURCES)] : [])];
  if (rnd() < 0.15) input.languages = [pick(rnd, ['en', 'ru', 'zh'])];
  if (webhookUrl) input.channels = { webhook: { url: webhookUrl, secret: 'synthetic-secret-0123456789' } };
  return input;
}

export function syntheticSubscriptions(count: number, seed = 1, webhook?: { url: string; share: number }): Subscription[] {
  const rnd = seededRandom(seed);
  const at = new Date(0).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const url = webhook && rnd() < webhook.share ? webhook.url : undefined;
    return { id: `s${i}`, ownerKeyId: `k${i % 50}`, createdAt: at, updatedAt: at, ...parseSubscriptionInput(syntheticSubscriptionInput(rnd, url)) };
  });
}

let serial = 0;

/** A classified article of 60 to 260 words in English, Russian or Chinese, with 0 to 3 topics (most 0 or 1). */
export function syntheticArticle(rnd: () => number): ClassifiedArticle {
  serial += 1;
  const r = rnd();
  const language = r < 0.65 ? 'en' : r < 0.85 ? 'ru' : ('zh' as const);
  const words = language === 'en' ? EN : language === 'ru' ? RU : ZH;
  const length = 60 + Math.floor(rnd() * 200);
  const body = Array.from({ length }, () => (rnd() < 0.02 ? pick(rnd, words) : filler(rnd, language)));
  // Chinese is written without spaces; sentences keep a few breaks so phrases can span or not.
  const join = (ws: string[]) => (language === 'zh' ? ws.join(rnd() < 0.5 ? '' : '，') : ws.join(' '));
  // Many announcements of these bodies are not about drugs at all: no topic, no alert.
  const t = rnd();
  const topicCount = t < 0.35 ? 0 : t < 0.75 ? 1 : t < 0.95 ? 2 : 3;
  const topics: ClassifiedArticle['topics'] = [];
  for (const id of new Set(Array.from({ length: topicCount }, () => pick(rnd, TOPIC_IDS) as TopicId))) {
    topics.push({ id, score: Math.round((0.5 + rnd() * 4.5) * 10) / 10, evidence: [{ term: pick(rnd, words), field: 'text', start: 0, end: 1 }] });
  }
  const url = `https://news.example.org/synthetic/${serial}-${Math.floor(rnd() * 1e9)}`;
  return {
    schema: 'news.classified.v1',
    id: articleIdFromUrl(url),
    sourceId: pick(rnd, SOURCES),
    sourceName: 'Synthetic source',
    url,
    title: join(body.slice(0, 8)),
    text: join(body.slice(8)),
    language,
    publishedAt: '2026-01-05T08:00:00Z',
    fetchedAt: '2026-01-05T08:01:00Z',
    classifiedAt: '2026-01-05T08:01:01Z',
    taxonomyVersion: 'synthetic',
    topics,
  };
}
