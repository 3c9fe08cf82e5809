import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { resolveUrl } from './feed-parser';
import { parseLooseDate } from './loose-date';
import type { ListingSelectors } from './source-config';

export interface ListingItem {
  title: string;
  /** Absolute http(s) URL of the article page. */
  link: string;
  publishedAt: string | null;
  /** Teaser text, when a summary selector is configured. */
  summary?: string;
}

/** Most items read from one listing page: a selector that matches the whole page must not flood. */
export const MAX_LISTING_ITEMS = 200;

/**
 * Reads a news listing page (sources without a feed, such as the SCO sites) with the CSS
 * selectors from the source's configuration. Links resolve against the page's <base href> or its
 * URL; items without a usable link are skipped; the same link twice counts once.
 */
export function scrapeListing(html: string, pageUrl: string, selectors: ListingSelectors): ListingItem[] {
  const $ = cheerio.load(html);
  const base = resolveUrl($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
  const items: ListingItem[] = [];
  const seen = new Set<string>();
  $(selectors.item).each((_, element) => {
    if (items.length >= MAX_LISTING_ITEMS) return false;
    const item = $(element);
    const anchor = selectors.link ? item.find(selectors.link).addBack(selectors.link).first() : (element as Element).tagName === 'a' ? item : item.find('a[href]').first();
    const href = anchor.attr('href') ?? anchor.find('a[href]').first().attr('href');
    const link = resolveUrl(href, base);
    if (!link || seen.has(link)) return;
    const title = textOf(selectors.title ? item.find(selectors.title).first() : anchor) || textOf(anchor);
    if (!title) return;
    const dateNode = selectors.date ? item.find(selectors.date).first() : undefined;
    const dateText = dateNode ? dateNode.attr('datetime') ?? dateNode.attr('content') ?? textOf(dateNode) : undefined;
    const summary = selectors.summary ? textOf(item.find(selectors.summary).first()) : undefined;
    seen.add(link);
    items.push({ title, link, publishedAt: parseLooseDate(dateText), ...(summary ? { summary } : {}) });
    return undefined;
  });
  return items;
}

function textOf(node: cheerio.Cheerio<AnyNode | Element>): string {
  return node.text().replace(/\s+/g, ' ').trim();
}
