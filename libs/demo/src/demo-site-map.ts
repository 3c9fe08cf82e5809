/**
 * Where each demo source lives on the loopback site and in which format it is served. The feed
 * server routes by this table and `demoSources` builds the source configs from it, so a path is
 * written down once.
 */
export const DEMO_SOURCE_IDS = [
  'demo-sco-en',
  'demo-sco-ru',
  'demo-sco-zh',
  'demo-un-news-en',
  'demo-un-news-ru',
  'demo-un-news-zh',
  'demo-unodc',
  'demo-incb',
] as const;

export type DemoSourceId = (typeof DEMO_SOURCE_IDS)[number];
export type DemoLanguage = 'en' | 'ru' | 'zh';
export type DemoFormat = 'sco-listing' | 'rss' | 'atom' | 'json-feed';
/** Charsets the demo serves; names as iconv-lite and the HTTP/XML declarations spell them. */
export type DemoCharset = 'utf-8' | 'windows-1251' | 'GBK';

export interface DemoSiteEntry {
  id: DemoSourceId;
  name: string;
  organisation: string;
  language: DemoLanguage;
  format: DemoFormat;
  /** The listing page or feed document. */
  path: string;
  /** A URL that answers 404, listed first so the "first candidate that answers" logic is exercised. */
  deadPath?: string;
  charset: DemoCharset;
}

export const DEMO_SITE: readonly DemoSiteEntry[] = [
  { id: 'demo-sco-en', name: 'SCO Secretariat (demo, English)', organisation: 'SCO', language: 'en', format: 'sco-listing', path: '/sco/en/news/', charset: 'utf-8' },
  { id: 'demo-sco-ru', name: 'SCO Secretariat (demo, Russian)', organisation: 'SCO', language: 'ru', format: 'sco-listing', path: '/sco/ru/news/', charset: 'utf-8' },
  { id: 'demo-sco-zh', name: 'SCO Secretariat (demo, Chinese)', organisation: 'SCO', language: 'zh', format: 'sco-listing', path: '/sco/zh/news/', charset: 'utf-8' },
  {
    id: 'demo-un-news-en',
    name: 'UN News: Law and Crime Prevention (demo, English)',
    organisation: 'UN News',
    language: 'en',
    format: 'rss',
    path: '/un-news/feed/en/law-and-crime-prevention/rss.xml',
    charset: 'utf-8',
  },
  {
    id: 'demo-un-news-ru',
    name: 'UN News: Law and Crime Prevention (demo, Russian, windows-1251)',
    organisation: 'UN News',
    language: 'ru',
    format: 'rss',
    path: '/un-news/feed/ru/law-and-crime-prevention/rss.xml',
    charset: 'windows-1251',
  },
  {
    id: 'demo-un-news-zh',
    name: 'UN News: Law and Crime Prevention (demo, Chinese, GBK)',
    organisation: 'UN News',
    language: 'zh',
    format: 'rss',
    path: '/un-news/feed/zh/law-and-crime-prevention/rss.xml',
    charset: 'GBK',
  },
  {
    id: 'demo-unodc',
    name: 'UNODC press releases (demo, Atom)',
    organisation: 'UNODC',
    language: 'en',
    format: 'atom',
    path: '/unodc/en/press/releases.atom',
    deadPath: '/unodc/rss/unodc_news_en.xml',
    charset: 'utf-8',
  },
  {
    id: 'demo-incb',
    name: 'INCB news (demo, JSON Feed)',
    organisation: 'INCB',
    language: 'en',
    format: 'json-feed',
    path: '/incb/en/news/feed.json',
    charset: 'utf-8',
  },
];

export function siteEntry(id: string): DemoSiteEntry {
  const entry = DEMO_SITE.find((candidate) => candidate.id === id);
  if (!entry) throw new RangeError(`unknown demo source '${id}' (known: ${DEMO_SOURCE_IDS.join(', ')})`);
  return entry;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The article page path of an item, in the URL style of the real site it imitates: SCO pages carry
 * /YYYYMMDD/NNNNNN.html, UN News /story/YYYY/MM/NNNNNNN, UNODC and INCB a dated folder and a slug.
 */
export function articlePath(entry: DemoSiteEntry, item: { number: number; slug: string; publishedAt: string }): string {
  const iso = item.publishedAt.slice(0, 10);
  const [year, month, day] = iso.split('-');
  switch (entry.format) {
    case 'sco-listing':
      return `/sco/${entry.language}/${year}${month}${day}/${item.number}.html`;
    case 'rss':
      return `/un-news/${entry.language}/story/${year}/${month}/${item.number}`;
    case 'atom':
      return `/unodc/en/press/releases/${year}/${MONTHS[Number(month) - 1]}/${item.slug}.html`;
    case 'json-feed':
      return `/incb/en/news/news_${year}/${item.slug}.html`;
  }
}
