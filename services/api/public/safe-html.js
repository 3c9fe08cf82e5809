// The only HTML the dashboard inserts as HTML: the search API's highlight snippets, which come
// HTML-escaped with the matches wrapped in <mark>. They are inserted only if, once the exact
// <mark> and </mark> tags are taken out, no angle bracket is left: plain escaped text cannot
// open an element, so nothing but <mark> can come from them.
export function markOnlyHtml(snippet) {
  if (typeof snippet !== 'string') return null;
  const rest = snippet.replace(/<\/?mark>/g, '');
  return /[<>]/.test(rest) ? null : snippet;
}

// Links to articles: http and https only, so a feed cannot smuggle in a javascript: URL.
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// An article's HTML (sanitised by sanitize-html at the collector) is shown only inside an iframe
// with an empty `sandbox` (ARTICLE_SANDBOX) whose document is this: no script or event handler in
// it can run even if something slipped past the sanitiser, its origin is opaque so it cannot reach
// this page, the API key or the cookies, and its own policy lets it load nothing (no tracking
// images). The frame also inherits the page's policy, which only narrows this one.
export const ARTICLE_SANDBOX = '';

export function articleFrameDocument(articleHtml) {
  const body = typeof articleHtml === 'string' ? articleHtml : '';
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body>${body}</body></html>`;
}
