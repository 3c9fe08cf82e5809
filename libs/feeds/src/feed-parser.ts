import RssParser from 'rss-parser';
import { decodeHTML } from 'entities';
import * as cheerio from 'cheerio';
import { FeedParseError } from './feed-errors';
import { sanitiseHtml, stripTags } from './html-sanitizer';
import { parseLooseDate } from './loose-date';

export interface FeedItem {
  title: string;
  link?: string;
  guid?: string;
  /** Sanitised HTML of the full content (or the description when that is all there is). */
  contentHtml?: string;
  /** Sanitised HTML of the summary, when the feed gives one beside the content. */
  summary?: string;
  /** ISO 8601 (UTC), or null when the item has no readable date. */
  publishedAt?: string | null;
  author?: string;
  language?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title?: string;
  link?: string;
  language?: string;
  items: FeedItem[];
}

/** Bounds that keep a hostile body from costing more than a normal one. */
export const FEED_LIMITS = { maxChars: 10_000_000, maxItems: 500 } as const;

const ATOM_NS = ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'];
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/**
 * Reads RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0/0.3 and JSON Feed 1.0/1.1 from decoded text.
 *
 * XML goes through rss-parser's item builders (rss-parser 3.13.0, pinned), driven synchronously:
 * its xml2js parser calls back synchronously, so the builders are called here directly instead of
 * its promise-returning parseString. That also lets this module pick the builder itself, which
 * fixes what rss-parser rejects: an Atom feed whose elements carry a prefix (`<a:feed
 * xmlns:a="...Atom">`) and RSS without a version attribute. The prefix is normalised rather than
 * parsing with xml2js's namespace mode because that mode changes the object shape the builders
 * read; the normalisation only applies to the prefix the root element binds to the Atom namespace
 * (and prefixes bound to XHTML inside such a feed), so `atom:link` inside RSS is left alone.
 *
 * Hostile input: the DOCTYPE is removed before parsing, with every entity it declares, so nothing
 * is expanded (billion laughs), no external entity or DTD is resolved (XXE, local files, network);
 * sax never fetches anything, and without the DOCTYPE there is nothing to fetch. Control characters
 * and invalid character references are replaced; size and item count are bounded; everything
 * sax does is linear in the input, so nothing hangs. Content HTML is sanitised.
 */
export function parseFeed(body: string, url: string): ParsedFeed {
  if (body.length > FEED_LIMITS.maxChars) {
    throw new FeedParseError('FEED_TOO_LARGE', `feed is ${body.length} characters, over the limit of ${FEED_LIMITS.maxChars}`);
  }
  const text = body.replace(/^[\uFEFF\s]+/, '').replace(/\s+$/, '');
  if (!text) throw new FeedParseError('FEED_EMPTY', 'the response body is empty');
  if (text.startsWith('{') || text.startsWith('[')) return parseJsonFeed(text, url);
  if (!text.startsWith('<')) throw new FeedParseError('FEED_NOT_A_FEED', `not XML or JSON (starts with ${JSON.stringify(text.slice(0, 20))})`);
  return parseXmlFeed(text, url);
}

// ---------------------------------------------------------------------------------------------
// XML

type XmlNode = Record<string, unknown> & { $?: Record<string, string>; _?: string };

interface RssParserInternals {
  xmlParser: { parseString(xml: string, cb: (err: Error | null, result: unknown) => void): unknown };
  buildAtomFeed(obj: unknown): RssParser.Output<Record<string, unknown>>;
  buildRSS2(obj: unknown): RssParser.Output<Record<string, unknown>>;
  buildRSS1(obj: unknown): RssParser.Output<Record<string, unknown>>;
}

function parseXmlFeed(input: string, url: string): ParsedFeed {
  const { xml, entityNames } = removeDoctype(input);
  const root = rootElementName(xml);
  if (!root) throw new FeedParseError('FEED_NOT_A_FEED', 'no root element found');
  if (/^(html|head|body)$/i.test(localName(root))) {
    throw new FeedParseError('FEED_NOT_A_FEED', `an HTML page (<${root}>), not a feed`);
  }
  const repaired = repairXml(xml, entityNames);
  const rename = prefixNormaliser(repaired, root);

  let tree: Record<string, XmlNode>;
  try {
    tree = parseXmlTree(repaired, rename);
  } catch (strictError) {
    // A forgiving parse (htmlparser2 in XML mode, as browsers' feed readers do) closes what was
    // left open and drops what cannot be read; its well-formed re-serialisation is parsed again.
    try {
      tree = parseXmlTree(recoverXml(repaired), rename);
    } catch {
      throw new FeedParseError('FEED_MALFORMED', `XML: ${oneLine((strictError as Error).message)}`, { cause: strictError });
    }
  }
  return buildFeed(tree, url);
}

function parseXmlTree(xml: string, rename: (name: string) => string): Record<string, XmlNode> {
  const parser = new RssParser({ xml2js: { strict: true, tagNameProcessors: [rename] } }) as unknown as RssParserInternals;
  let outcome: { error: Error | null; result: unknown } | undefined;
  parser.xmlParser.parseString(xml, (error, result) => {
    outcome ??= { error, result };
  });
  if (!outcome) throw new Error('the XML parser did not finish');
  if (outcome.error) throw outcome.error;
  if (!outcome.result || typeof outcome.result !== 'object') throw new Error('no document element');
  return outcome.result as Record<string, XmlNode>;
}

function buildFeed(tree: Record<string, XmlNode>, url: string): ParsedFeed {
  const parser = new RssParser() as unknown as RssParserInternals;
  const rootKey = Object.keys(tree)[0] ?? '';
  const rootNode = tree[rootKey] ?? {};
  const rootBase = resolveUrl(attr(rootNode, 'xml:base'), url) ?? url;
  try {
    if (rootKey === 'feed') {
      const entries = arrayOf(rootNode.entry).slice(0, FEED_LIMITS.maxItems) as XmlNode[];
      const raw = entries.map(prepareAtomEntry);
      rootNode.entry = entries;
      const built = parser.buildAtomFeed(tree);
      const feedLang = attr(rootNode, 'xml:lang');
      return {
        format: 'atom',
        title: cleanTitle(rootNode.title) || undefined,
        link: resolveUrl(built.link, rootBase),
        language: feedLang,
        items: built.items.map((item, i) => atomItem(item, entries[i], raw[i], rootBase, feedLang)),
      };
    }
    if (rootKey === 'rss' || rootKey === 'rdf:RDF') {
      const isRdf = rootKey === 'rdf:RDF';
      const channel = arrayOf(rootNode.channel)[0] as XmlNode | undefined;
      if (!channel || typeof channel !== 'object') throw new FeedParseError('FEED_MALFORMED', `<${rootKey}> has no <channel>`);
      const holder = isRdf ? rootNode : channel;
      const items = arrayOf(holder.item)
        .filter((item): item is XmlNode => !!item && typeof item === 'object')
        .slice(0, FEED_LIMITS.maxItems);
      holder.item = items;
      const dates = items.map(rssRawDate);
      // rss-parser's RSS 0.9 and 2.0 builders read the same fields; the 2.0 one also reads iTunes.
      const built = isRdf ? parser.buildRSS1(tree) : parser.buildRSS2(tree);
      const channelBase = resolveUrl(attr(channel, 'xml:base'), rootBase) ?? rootBase;
      const language = textOf(arrayOf(channel.language)[0]) || textOf(arrayOf(channel['dc:language'])[0]) || undefined;
      return {
        format: isRdf ? 'rdf' : 'rss',
        title: cleanTitle(channel.title) || undefined,
        link: resolveUrl(textOf(arrayOf(channel.link)[0]), channelBase),
        language,
        items: built.items.map((item, i) => rssItem(item, items[i], dates[i], channelBase, language)),
      };
    }
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    throw new FeedParseError('FEED_MALFORMED', `${rootKey}: ${oneLine((error as Error).message)}`, { cause: error });
  }
  throw new FeedParseError('FEED_NOT_A_FEED', `root element <${rootKey}> is not RSS, Atom or RDF`);
}

/** Takes out what rss-parser's Atom builder would trip over, and keeps the raw dates. */
function prepareAtomEntry(entry: XmlNode): { date: string | null; base?: string; lang?: string } {
  if (!entry || typeof entry !== 'object') return { date: null };
  let date: string | null = null;
  for (const field of ['published', 'updated', 'issued', 'modified', 'created']) {
    date ??= parseLooseDate(textOf(arrayOf(entry[field])[0]));
    // The builder calls new Date(x).toISOString(), which throws on an unreadable date.
    delete entry[field];
  }
  // Atom 0.3 and broken feeds put the URL in the link's text instead of href.
  entry.link = arrayOf(entry.link).map((link) => {
    if (typeof link === 'string') return { $: { href: link.trim() } };
    const node = link as XmlNode;
    if (node.$?.href || typeof node._ !== 'string') return node.$ ? node : { ...node, $: {} };
    return { ...node, $: { ...node.$, href: node._.trim() } };
  });
  if (!arrayOf(entry.link).length) delete entry.link;
  for (const field of ['content', 'summary']) {
    const node = arrayOf(entry[field])[0] as XmlNode | undefined;
    if (node && typeof node === 'object' && node.$?.mode === 'base64' && typeof node._ === 'string') {
      node._ = Buffer.from(node._.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
  }
  return { date, base: attr(entry, 'xml:base'), lang: attr(entry, 'xml:lang') };
}

function atomItem(
  built: Record<string, unknown>,
  entry: XmlNode,
  raw: { date: string | null; base?: string; lang?: string },
  feedBase: string,
  feedLang?: string,
): FeedItem {
  const base = resolveUrl(raw.base, feedBase) ?? feedBase;
  const link = resolveUrl(asString(built.link), base);
  const content = asString(built.content);
  const summary = asString(built.summary);
  const contentHtml = content ? sanitiseHtml(content, link ?? base) : undefined;
  return compact({
    title: cleanTitle(entry?.title),
    link,
    guid: asString(built.id)?.trim() || undefined,
    contentHtml: contentHtml || (summary ? sanitiseHtml(summary, link ?? base) : undefined),
    summary: summary && content ? sanitiseHtml(summary, link ?? base) : undefined,
    publishedAt: raw.date,
    author: cleanTitle(built.author) || undefined,
    language: raw.lang ?? feedLang,
  });
}

function rssRawDate(item: XmlNode): string | null {
  for (const field of ['pubDate', 'dc:date', 'dcterms:issued', 'dcterms:modified', 'atom:published', 'atom:updated', 'a10:updated', 'published', 'updated']) {
    const date = parseLooseDate(textOf(arrayOf(item[field])[0]));
    if (date) return date;
  }
  return null;
}

function rssItem(built: Record<string, unknown>, item: XmlNode, date: string | null, channelBase: string, feedLang?: string): FeedItem {
  const base = resolveUrl(attr(item, 'xml:base'), channelBase) ?? channelBase;
  const guidNode = arrayOf(item.guid)[0] as XmlNode | string | undefined;
  const guid = textOf(guidNode).trim() || undefined;
  const guidIsPermalink = typeof guidNode === 'object' ? guidNode.$?.isPermaLink !== 'false' : true;
  const linkText = textOf(arrayOf(item.link)[0]).trim() || asString(built.link)?.trim();
  let link = resolveUrl(linkText, base);
  if (!link && guid && guidIsPermalink && /^https?:\/\//i.test(guid)) link = guid;
  if (!link) link = resolveUrl(attr(item, 'rdf:about'), base);
  const encoded = asString(built['content:encoded']);
  const description = asString(built.content);
  const htmlBase = link ?? base;
  return compact({
    title: cleanTitle(item.title) || cleanTitle(item['dc:title']),
    link,
    guid,
    contentHtml: encoded ? sanitiseHtml(encoded, htmlBase) : description ? sanitiseHtml(description, htmlBase) : undefined,
    summary: encoded && description ? sanitiseHtml(description, htmlBase) : undefined,
    publishedAt: date,
    author: cleanTitle(built.creator) || cleanTitle(item.author) || undefined,
    language: textOf(arrayOf(item['dc:language'])[0]) || feedLang,
  });
}

// ---------------------------------------------------------------------------------------------
// Pre-parse repairs

/**
 * Removes the DOCTYPE (and its internal subset) and reports the entity names it declared, so their
 * references can be dropped instead of expanded. Hand-written scan: a regular expression cannot
 * match the nested brackets and quoted strings of an internal subset reliably.
 */
export function removeDoctype(xml: string): { xml: string; entityNames: Set<string> } {
  const entityNames = new Set<string>();
  const start = xml.search(/<!DOCTYPE/i);
  if (start < 0) return { xml, entityNames };
  let i = start + 9;
  let depth = 0;
  let quote: string | null = null;
  for (; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) break;
  }
  const doctype = xml.slice(start, i + 1);
  for (const match of doctype.matchAll(/<!ENTITY\s+(?:%\s+)?([\w.:-]+)/g)) entityNames.add(match[1]);
  return { xml: xml.slice(0, start) + xml.slice(i + 1), entityNames };
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * Character-level repairs that keep the meaning: illegal control characters and lone surrogates
 * are removed, character references to illegal code points become U+FFFD, HTML named entities
 * (&nbsp;) become their characters, references to DOCTYPE or unknown entities are dropped, and a
 * bare '&' becomes '&amp;'. Inside CDATA these rewrites change nothing an HTML reader would see.
 */
function repairXml(xml: string, declared: Set<string>): string {
  return xml
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&(#[0-9]{1,10}|#x[0-9a-fA-F]{1,8}|[A-Za-z][\w.-]{0,40});|&/g, (whole, ref: string | undefined) => {
      if (!ref) return '&amp;';
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return isXmlChar(code) ? whole : '&#xFFFD;';
      }
      if (XML_ENTITIES.has(ref)) return whole;
      if (declared.has(ref)) return '';
      const decoded = decodeHTML(whole);
      if (decoded === whole) return '';
      return decoded.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    });
}

function recoverXml(xml: string): string {
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: false } });
  $('*').each((_, el) => {
    // Names that cannot be re-serialised as XML (e.g. `<a HREF=...>` odd attributes) are dropped.
    const attribs = (el as unknown as { attribs?: Record<string, string> }).attribs ?? {};
    for (const name of Object.keys(attribs)) if (!/^[A-Za-z_][\w.:-]*$/.test(name)) delete attribs[name];
  });
  return $.xml();
}

function rootElementName(xml: string): string | undefined {
  let i = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const next = xml.indexOf('<', i);
    if (next < 0) return undefined;
    if (xml.startsWith('<?', next)) i = xml.indexOf('?>', next) + 2;
    else if (xml.startsWith('<!--', next)) i = xml.indexOf('-->', next) + 3;
    else if (xml.startsWith('<!', next)) i = xml.indexOf('>', next) + 1;
    else return /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(next, next + 200))?.[1];
    if (i <= 0) return undefined;
  }
  return undefined;
}

/** Maps the prefix bound to Atom on a prefixed root (and XHTML prefixes in that feed) to no prefix. */
function prefixNormaliser(xml: string, root: string): (name: string) => string {
  const identity = (name: string) => name;
  const rootPrefix = root.includes(':') ? root.split(':')[0] : undefined;
  const prefixes = new Set<string>();
  const declarations = [...xml.matchAll(/xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']/g)];
  const atomPrefix = declarations.find(([, prefix, uri]) => prefix === rootPrefix && ATOM_NS.includes(uri))?.[1];
  const isAtom = atomPrefix !== undefined || localName(root) === 'feed';
  if (!isAtom) return identity;
  if (atomPrefix) prefixes.add(atomPrefix);
  for (const [, prefix, uri] of declarations) if (uri === XHTML_NS) prefixes.add(prefix);
  if (!prefixes.size) return identity;
  return (name) => {
    const colon = name.indexOf(':');
    return colon > 0 && prefixes.has(name.slice(0, colon)) ? name.slice(colon + 1) : name;
  };
}

// ---------------------------------------------------------------------------------------------
// JSON Feed

function parseJsonFeed(text: string, url: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError('FEED_MALFORMED', `JSON: ${oneLine((error as Error).message)}`, { cause: error });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new FeedParseError('FEED_NOT_A_FEED', 'JSON, but not a JSON Feed object');
  const feed = doc as Record<string, unknown>;
  const version = typeof feed.version === 'string' ? feed.version : '';
  const versionOk = !version || /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/.test(version) || /^1(\.\d+)?$/.test(version);
  if (!versionOk || !Array.isArray(feed.items)) {
    throw new FeedParseError('FEED_NOT_A_FEED', `JSON, but not a JSON Feed (version ${JSON.stringify(feed.version ?? null)}, items ${Array.isArray(feed.items) ? 'present' : 'missing'})`);
  }
  const base = resolveUrl(asString(feed.home_page_url), url) ?? url;
  const language = asString(feed.language);
  const feedAuthor = authorName(feed);
  const items = (feed.items as unknown[])
    .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && !Array.isArray(item))
    .slice(0, FEED_LIMITS.maxItems)
    .map((item) => {
      const link = resolveUrl(asString(item.url) ?? asString(item.external_url), base);
      const html = asString(item.content_html);
      const plain = asString(item.content_text);
      const summary = asString(item.summary);
      const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id).trim() : undefined;
      return compact({
        title: cleanTitle(item.title),
        link,
        guid: id || undefined,
        contentHtml: html ? sanitiseHtml(html, link ?? base) : plain ? textToHtml(plain) : summary ? textToHtml(summary) : undefined,
        summary: summary && (html || plain) ? textToHtml(summary) : undefined,
        publishedAt: parseLooseDate(asString(item.date_published)) ?? parseLooseDate(asString(item.date_modified)),
        author: authorName(item) ?? feedAuthor,
        language: asString(item.language) ?? language,
      });
    });
  return { format: 'json', title: cleanTitle(feed.title) || undefined, link: base, language, items };
}

function authorName(holder: Record<string, unknown>): string | undefined {
  const candidates = [...(Array.isArray(holder.authors) ? holder.authors : []), holder.author];
  for (const author of candidates) {
    if (author && typeof author === 'object' && typeof (author as { name?: unknown }).name === 'string') {
      return cleanTitle((author as { name: string }).name) || undefined;
    }
  }
  return undefined;
}

function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${para.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br />')}</p>`)
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Small readers of the xml2js tree

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number') return String(node);
  if (node && typeof node === 'object') {
    const text = (node as XmlNode)._;
    if (typeof text === 'string') return text;
    // Markup inside a text field (XHTML titles): collect its text.
    return Object.entries(node as XmlNode)
      .filter(([key]) => key !== '$')
      .flatMap(([, value]) => arrayOf(value).map(textOf))
      .join(' ');
  }
  return '';
}

function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as XmlNode).$?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as XmlNode)._ === 'string') return (value as XmlNode)._;
  return undefined;
}

function localName(name: string): string {
  return name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
}

/**
 * Titles are plain text: markup is removed, entities that survived XML decoding (double-escaped
 * feeds such as '&amp;quot;') are decoded once more, whitespace is collapsed.
 */
export function cleanTitle(value: unknown): string {
  let text = textOf(Array.isArray(value) ? value[0] : value);
  if (!text) return '';
  if (/<[A-Za-z!/]/.test(text)) text = stripTags(text);
  return decodeHTML(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function resolveUrl(value: string | undefined, base: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  try {
    const resolved = base ? new URL(text, base) : new URL(text);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.toString() : undefined;
  } catch {
    return undefined;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ', ').trim();
}

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
