import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { sanitiseHtml } from './html-sanitizer';
import { htmlToText } from './html-text';
import { parseLooseDate } from './loose-date';
import type { ArticleSelectors } from './source-config';

export interface ExtractedArticle {
  title?: string;
  /** Sanitised HTML of the article body. */
  contentHtml: string;
  text: string;
  publishedAt: string | null;
  /** How the body was found: the configured selector, a semantic element, or the largest block. */
  foundBy: 'selector' | 'article' | 'main' | 'largest-block' | 'body';
}

const NOISE = 'script, style, noscript, template, iframe, nav, header, footer, aside, form, [role=navigation], [aria-hidden=true]';

/**
 * Extracts an article's full text from its page. The configured content selector wins; without
 * one (or when it matches nothing) <article>, then <main>, then the element holding the most
 * paragraph text. Hand-written rather than a Readability port: Mozilla's Readability needs a full
 * DOM (jsdom, a large dependency) and the official sites this reads have simple, regular markup.
 */
export function extractArticle(html: string, pageUrl: string, selectors: ArticleSelectors = {}): ExtractedArticle {
  const $ = cheerio.load(html);
  const title =
    clean(selectors.title ? $(selectors.title).first().text() : '') ||
    clean($('meta[property="og:title"]').attr('content')) ||
    clean($('h1').first().text()) ||
    clean($('title').first().text()) ||
    undefined;
  const dateNode = selectors.date ? $(selectors.date).first() : $('time[datetime]').first();
  const publishedAt =
    parseLooseDate(dateNode.attr('datetime') ?? dateNode.attr('content') ?? dateNode.text()) ??
    parseLooseDate($('meta[property="article:published_time"]').attr('content'));

  let found: ExtractedArticle['foundBy'] = 'body';
  let body = selectors.content ? $(selectors.content).first() : $([]);
  if (body.length) found = 'selector';
  else {
    $(NOISE).remove();
    for (const [selector, how] of [['article', 'article'], ['main, [role=main]', 'main']] as const) {
      const candidate = $(selector).first();
      if (candidate.length && clean(candidate.text()).length > 80) {
        body = candidate;
        found = how;
        break;
      }
    }
    if (!body.length) {
      const largest = largestParagraphBlock($);
      body = largest ? $(largest) : $('body');
      found = largest ? 'largest-block' : 'body';
    }
  }
  body.find('script, style, noscript, template').remove();
  const contentHtml = sanitiseHtml($.html(body.children()) || body.text(), pageUrl);
  return { title, contentHtml, text: htmlToText(contentHtml), publishedAt, foundBy: found };
}

/** The parent element of <p>s whose combined text is longest. */
function largestParagraphBlock($: cheerio.CheerioAPI): Element | undefined {
  const totals = new Map<Element, number>();
  $('p').each((_, p) => {
    const parent = p.parent as Element | null;
    if (parent && parent.type === 'tag') totals.set(parent, (totals.get(parent) ?? 0) + clean($(p).text()).length);
  });
  let best: Element | undefined;
  let bestLength = 0;
  for (const [element, length] of totals) {
    if (length > bestLength) {
      best = element;
      bestLength = length;
    }
  }
  return best;
}

function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
