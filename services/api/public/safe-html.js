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
