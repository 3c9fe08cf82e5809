import sanitizeHtml from 'sanitize-html';

/**
 * Feed and page HTML is hostile until proven otherwise: scripts, styles, event handlers,
 * javascript:/data: URLs, iframes and forms are removed (sanitize-html's allow-list, so anything
 * not listed is dropped). Relative links and image sources are made absolute against the item's
 * base, so the HTML still works when shown away from its site.
 */
export function sanitiseHtml(html: string, baseUrl?: string): string {
  if (!html) return '';
  const absolute = (value: string | undefined): string | undefined => {
    if (!value || !baseUrl) return value;
    try {
      return new URL(value, baseUrl).toString();
    } catch {
      return undefined;
    }
  };
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'figure', 'figcaption', 'picture', 'h1', 'h2'],
    allowedAttributes: {
      a: ['href', 'title', 'hreflang'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      abbr: ['title'],
      '*': ['lang', 'dir'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.href ? { href: absolute(attribs.href) ?? '' } : {}) } }),
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.src ? { src: absolute(attribs.src) ?? '' } : {}) } }),
    },
  }).trim();
}

/** Plain text of an HTML fragment with every tag removed (entities stay escaped for HTML). */
export function stripTags(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
}
