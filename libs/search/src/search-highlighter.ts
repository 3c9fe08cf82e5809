import { ParsedQuery, positiveLeaves } from '@monitor/query';
import { analyzeText } from '@monitor/text';

/**
 * Highlights from the application's own analysis, used by both adapters. Elasticsearch's
 * highlighter would analyse the display fields with the `standard` analyser (no stemming, Chinese
 * as single characters), so it would not mark "наркотиков" for the query "наркотикам"; marking the
 * tokens that `analyzeText` (libs/text) produced gives the same, correct marks in embedded and
 * stack mode, for the same words, phrases and prefixes the query matched on.
 * Everything that came from a feed is HTML-escaped; only our own <mark> tags are left as markup.
 */
export interface HighlightOptions {
  /** Approximate length of one snippet, in characters. */
  fragmentSize?: number;
  maxFragments?: number;
  /** Return the whole field as one snippet (for titles). */
  wholeField?: boolean;
}

interface Span {
  start: number;
  end: number;
}

// Hand-written: `entities` (already a dependency) is ESM-only from v8, which our CommonJS build
// cannot load, and escaping the five HTML-significant characters is all a text node needs.
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

const MARK_OPEN = '<mark>';
const MARK_CLOSE = '</mark>';
const ELLIPSIS = '…';

/** The character ranges of `text` that the query matches, merged and in order. */
export function matchSpans(text: string, query: ParsedQuery): Span[] {
  const leaves = positiveLeaves(query.root);
  if (leaves.length === 0 || text.length === 0) return [];
  const tokens = analyzeText(text);
  // Phrases match only on the main stream, where positions are consecutive; CJK single characters
  // of longer runs sit after it and only ever match one-term phrases.
  const byTerm = new Map<string, number[]>();
  tokens.forEach((token, index) => {
    const list = byTerm.get(token.term);
    if (list) list.push(index);
    else byTerm.set(token.term, [index]);
  });
  const charsAt = tokens.findIndex((token) => token.stream === 'chars');
  const mainEnd = charsAt === -1 ? tokens.length : charsAt;
  const spans: Span[] = [];
  for (const leaf of leaves) {
    if (leaf.kind === 'prefix') {
      for (const token of tokens) if (token.term.startsWith(leaf.prefix)) spans.push({ start: token.start, end: token.end });
      continue;
    }
    const { terms } = leaf;
    for (const index of byTerm.get(terms[0]) ?? []) {
      if (terms.length === 1) {
        spans.push({ start: tokens[index].start, end: tokens[index].end });
        continue;
      }
      if (index + terms.length > mainEnd) break;
      if (terms.every((term, k) => tokens[index + k].term === term)) {
        spans.push({ start: tokens[index].start, end: tokens[index + terms.length - 1].end });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** Moves a cut so that it does not split a surrogate pair and, when close, falls on a space. */
function snap(text: string, at: number, direction: -1 | 1, limit: number): number {
  if (at <= 0) return 0;
  if (at >= text.length) return text.length;
  for (let step = 0; step <= limit; step++) {
    const candidate = at + direction * step;
    if (candidate <= 0 || candidate >= text.length) break;
    if (/\s/u.test(text[candidate]) || /\s/u.test(text[candidate - 1])) return candidate;
  }
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

function render(text: string, from: number, to: number, spans: Span[]): string {
  let html = '';
  let at = from;
  for (const span of spans) {
    if (span.end <= from || span.start >= to) continue;
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    html += escapeHtml(text.slice(at, start)) + MARK_OPEN + escapeHtml(text.slice(start, end)) + MARK_CLOSE;
    at = end;
  }
  html += escapeHtml(text.slice(at, to));
  return html.trim();
}

/**
 * HTML snippets of `text` (about `fragmentSize` characters each, in text order) with the query's
 * matches wrapped in <mark>. No snippet when nothing matches.
 */
export function highlightText(text: string, query: ParsedQuery, options: HighlightOptions = {}): string[] {
  const fragmentSize = options.fragmentSize ?? 160;
  const maxFragments = options.maxFragments ?? 3;
  const spans = matchSpans(text, query);
  if (spans.length === 0) return [];
  if (options.wholeField || text.length <= fragmentSize) return [render(text, 0, text.length, spans)];
  const fragments: string[] = [];
  let next = 0;
  while (next < spans.length && fragments.length < maxFragments) {
    const first = spans[next];
    // A little context before the first match, the rest of the window after it.
    const lead = Math.min(40, Math.floor((fragmentSize - (first.end - first.start)) / 3));
    const start = snap(text, Math.max(0, first.start - Math.max(0, lead)), -1, 15);
    let end = snap(text, Math.max(first.end, start + fragmentSize), 1, 15);
    while (next < spans.length && spans[next].start < end) {
      end = Math.max(end, spans[next].end);
      next++;
    }
    const prefix = start > 0 ? ELLIPSIS : '';
    const suffix = end < text.length ? ELLIPSIS : '';
    fragments.push(prefix + render(text, start, end, spans) + suffix);
  }
  return fragments;
}

/** Highlights of one article: the whole title when it matches, snippets of the text. */
export function highlightArticle(
  article: { title: string; text: string },
  query: ParsedQuery,
  options: HighlightOptions = {},
): { title?: string[]; text?: string[] } {
  const result: { title?: string[]; text?: string[] } = {};
  const title = highlightText(article.title, query, { ...options, wholeField: true });
  if (title.length > 0) result.title = title;
  const text = highlightText(article.text, query, options);
  if (text.length > 0) result.text = text;
  return result;
}
