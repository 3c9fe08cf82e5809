import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody } from './charset-decoder';
import { FeedParseError } from './feed-errors';
import { parseFeed, FEED_LIMITS } from './feed-parser';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const read = (name: string, url = 'https://example.org/feed') => parseFeed(decodeBody(fixture(name)).text, url);
const failure = (body: string) => {
  try {
    parseFeed(body, 'https://example.org/feed');
  } catch (error) {
    return error as FeedParseError;
  }
  throw new Error('expected parseFeed to fail');
};

describe('parseFeed', () => {
  it('reads a windows-1251 RSS feed: Cyrillic decoded, relative link resolved, weekday in Russian tolerated', () => {
    const feed = read('windows-1251.rss', 'https://rus.example.org/rss.xml');
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Секретариат ШОС — новости');
    expect(feed.language).toBe('ru');
    const [item] = feed.items;
    expect(item.title).toMatch(/^Совещание руководителей/);
    expect(item.link).toBe('https://rus.example.org/news/20251103/1001.html');
    expect(item.publishedAt).toBe('2025-11-03T06:30:00.000Z');
    expect(item.contentHtml).toContain('героина');
  });

  it('reads a GBK feed with a non-RFC 822 date', () => {
    const feed = read('gbk.rss');
    expect(feed.title).toBe('上合组织秘书处新闻');
    expect(feed.items[0].title).toBe('上合组织成员国禁毒部门领导人会议在杜尚别举行');
    expect(feed.items[0].publishedAt).toBe('2025-11-03T14:38:10.000Z');
  });

  it('reads a JSON Feed: sanitised content, decoded and trimmed title, relative url, null items skipped', () => {
    const feed = read('feed.json');
    expect(feed.format).toBe('json');
    expect(feed.items).toHaveLength(2);
    const [first, second] = feed.items;
    expect(first.title).toBe('New precursor controls & scheduling decisions');
    expect(first.link).toBe('https://digest.example.org/2025/11/precursor-controls.html');
    expect(first.guid).toBe('digest-1');
    expect(first.publishedAt).toBe('2025-11-03T07:00:00.000Z');
    expect(first.author).toBe('Digest Desk');
    expect(first.contentHtml).toBe('<p>Controls on two fentanyl precursors enter into force.</p>');
    expect(second).toMatchObject({ title: '', guid: 'digest-2', contentHtml: '<p>An item with text only and no title or link.</p>', publishedAt: null });
  });

  it('accepts JSON Feed version "1.0" and refuses other JSON', () => {
    expect(parseFeed('{"version":"1.0","items":[{"id":"1","title":"T","url":"https://e.org/1"}]}', 'https://e.org/').items[0].link).toBe('https://e.org/1');
    expect(failure('{"hello":"world"}').code).toBe('FEED_NOT_A_FEED');
    expect(failure('{"items": [NaN]}').code).toBe('FEED_MALFORMED');
  });

  it('reads an Atom feed whose elements use a non-default prefix, with xml:base', () => {
    const feed = read('prefixed-atom.xml');
    expect(feed.format).toBe('atom');
    expect(feed.title).toBe('Agency news');
    const [entry] = feed.items;
    expect(entry.title).toBe('Joint operation dismantles a synthetic drug laboratory');
    expect(entry.link).toBe('https://agency.example.org/news/2025/joint-operation.html');
    expect(entry.publishedAt).toBe('2025-11-02T13:45:00.000Z');
    expect(entry.contentHtml).toContain('<b>120 kg</b>');
  });

  it('does not expand a billion-laughs bomb', () => {
    const feed = read('billion-laughs.rss');
    expect(feed.title).toBe('Bomb');
    expect(feed.items[0].title).toBe('Item');
    expect(JSON.stringify(feed)).not.toContain('haha');
  });

  it('resolves no external entity (no local file, no network)', () => {
    const feed = read('xxe.rss');
    expect(feed.items[0].title).toBe('Leak:');
    const hostname = existsSync('/etc/hostname') ? readFileSync('/etc/hostname', 'utf8').trim() : '';
    if (hostname) expect(JSON.stringify(feed)).not.toContain(hostname);
  });

  it('strips scripts, styles, event handlers and javascript: URLs from content', () => {
    const xml = `<rss version="2.0"><channel><title>x</title><item><title>t</title><link>https://e.org/1</link>
      <description><![CDATA[<p style="x" onmouseover="evil()">Hi <a href="javascript:alert(1)">there</a> <a href="/rel">rel</a></p><script>bad()</script><style>p{}</style><iframe src="https://e.org"></iframe>]]></description>
      </item></channel></rss>`;
    const html = parseFeed(xml, 'https://e.org/feed').items[0].contentHtml;
    expect(html).toBe('<p>Hi <a>there</a> <a href="https://e.org/rel">rel</a></p>');
  });

  it('repairs control characters, bare ampersands and HTML entities, and recovers a truncated feed', () => {
    const xml = '<rss version="2.0"><channel><title>A\u0001B &nbsp;&amp; C & D</title><item><title>One</title><link>https://e.org/1?a=1&b=2</link></item><item><title>Two</ti';
    const feed = parseFeed(xml, 'https://e.org/');
    expect(feed.title).toBe('AB & C & D');
    expect(feed.items[0]).toMatchObject({ title: 'One', link: 'https://e.org/1?a=1&b=2' });
  });

  it('gives clear errors for an empty body, an HTML page and unreadable XML', () => {
    expect(failure('  \n').code).toBe('FEED_EMPTY');
    const html = failure('<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>');
    expect(html.code).toBe('FEED_NOT_A_FEED');
    expect(html.message).toMatch(/HTML page/);
    expect(failure('<opml version="2.0"><body/></opml>').code).toBe('FEED_NOT_A_FEED');
    expect(failure('plain words').code).toBe('FEED_NOT_A_FEED');
  });

  it('reads RSS without a version, RSS 1.0 (RDF) and Atom 0.3 links given as text', () => {
    expect(parseFeed('<rss><channel><title>x</title><item><title>a</title><link>https://e.org/a</link></item></channel></rss>', 'https://e.org/').items).toHaveLength(1);
    const rdf = parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://e.org/"><title>R</title><link>https://e.org/</link></channel>
        <item rdf:about="https://e.org/1"><title>one</title><link>https://e.org/1</link><dc:date>2025-11-03T10:00:00+00:00</dc:date></item></rdf:RDF>`,
      'https://e.org/',
    );
    expect(rdf).toMatchObject({ format: 'rdf', items: [{ title: 'one', publishedAt: '2025-11-03T10:00:00.000Z' }] });
    const atom03 = parseFeed('<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>e</title><link rel="alternate">http://www.example.com/</link><issued>2004-01-01T00:00:00Z</issued></entry></feed>', 'https://e.org/');
    expect(atom03.items[0]).toMatchObject({ link: 'http://www.example.com/', publishedAt: '2004-01-01T00:00:00.000Z' });
  });

  it('bounds the number of items and the input size', () => {
    const items = Array.from({ length: FEED_LIMITS.maxItems + 50 }, (_, i) => `<item><title>${i}</title></item>`).join('');
    expect(parseFeed(`<rss version="2.0"><channel><title>x</title>${items}</channel></rss>`, 'https://e.org/').items).toHaveLength(FEED_LIMITS.maxItems);
    expect(failure('<rss>' + ' '.repeat(FEED_LIMITS.maxChars) + '</rss>').code).toBe('FEED_TOO_LARGE');
  });
});

describe('decodeBody', () => {
  it('prefers the BOM, trusts a verified declaration and reads mislabelled UTF-8 as UTF-8', () => {
    const utf8WithLatin1Prolog = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Café €</title></channel></rss>', 'utf8');
    expect(decodeBody(utf8WithLatin1Prolog).text).toContain('Café €');
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>ü</a>')])).text).toContain('ü');
    expect(decodeBody(fixture('windows-1251.rss')).charset).toBe('windows-1251');
    // The HTTP header wins over the document when both are present.
    expect(decodeBody(Buffer.from([0xcf, 0xf0, 0xe8]), 'text/html; charset=windows-1251').text).toBe('При');
  });

  it('detects an undeclared single-byte charset instead of producing replacement characters', () => {
    const bytes = Buffer.from('<rss><channel><title>\xe0\xe1\xe2 \xf9\xfa \xe0\xe1\xe2\xe3\xe4 \xe5\xe6\xe7\xe8</title></channel></rss>', 'latin1');
    expect(decodeBody(bytes).text).not.toContain('\uFFFD');
  });
});
