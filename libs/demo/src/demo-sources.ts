import { DEMO_SITE, type DemoSiteEntry } from './demo-site-map';

/**
 * A source as the sources file declares it (the input shape of SourceConfigSchema in
 * libs/feeds/src/source-config.ts). Declared here rather than imported so the demo site does not
 * depend on the feed reader it is meant to exercise.
 */
export interface DemoSourceConfig {
  id: string;
  name: string;
  organisation: string;
  language: string;
  enabled: boolean;
  pollIntervalMinutes: number;
  candidates: { url: string; kind: 'feed' | 'listing' }[];
  listing?: { item: string; link?: string; title?: string; date?: string; summary?: string };
  article?: { content?: string; title?: string; date?: string };
}

/**
 * Selectors for the SCO-style pages. They are specific on purpose: the pages also carry a
 * "most read" sidebar and a "related news" block with article links, navigation, a cookie banner
 * and a footer, and a selector as loose as `a` or `.news-item` would pick those up.
 */
export const SCO_LISTING_SELECTORS = {
  item: 'main .news-list--latest > li.news-item',
  link: 'a.news-item__title',
  title: 'a.news-item__title',
  date: 'time.news-item__date',
  summary: 'p.news-item__teaser',
} as const;

export const SCO_ARTICLE_SELECTORS = {
  content: 'article.news-article .news-article__body',
  title: 'h1',
  date: 'article.news-article time.news-article__date',
} as const;

/** The source configs for the demo site at `baseUrl` (no trailing slash needed). */
export function demoSources(baseUrl: string): DemoSourceConfig[] {
  const base = baseUrl.replace(/\/+$/, '');
  return DEMO_SITE.map((entry) => sourceFor(entry, base));
}

function sourceFor(entry: DemoSiteEntry, base: string): DemoSourceConfig {
  const common = {
    id: entry.id,
    name: entry.name,
    organisation: entry.organisation,
    language: entry.language,
    enabled: true,
    pollIntervalMinutes: 1,
  };
  if (entry.format === 'sco-listing') {
    return {
      ...common,
      candidates: [{ url: `${base}${entry.path}`, kind: 'listing' }],
      listing: { ...SCO_LISTING_SELECTORS },
      article: { ...SCO_ARTICLE_SELECTORS },
    };
  }
  const candidates: DemoSourceConfig['candidates'] = [];
  if (entry.deadPath) candidates.push({ url: `${base}${entry.deadPath}`, kind: 'feed' });
  candidates.push({ url: `${base}${entry.path}`, kind: 'feed' });
  return { ...common, candidates };
}
