import Parser from 'rss-parser';
import { Alert, StorySummary } from '@monitor/contracts';
import { renderAtomFeed } from './atom-feed';
import { Subscription, parseSubscriptionInput } from './subscription';

const subscription: Subscription = { id: 's1', ownerKeyId: 'k1', createdAt: '', updatedAt: '', ...parseSubscriptionInput({ name: 'Opiates & <friends>' }) };

function alert(n: number, overrides: Partial<Alert> = {}): Alert {
  return {
    schema: 'alerts.v1', id: `al${n}`, kind: 'article', subscriptionId: 's1', ownerKeyId: 'k1', articleId: 'a' + String(n).repeat(31).slice(0, 31),
    title: `Alert ${n}`, url: `https://news.example.org/${n}?a=1&b=2`, sourceId: 'unodc', publishedAt: '2025-03-01T08:00:00Z',
    topics: [{ id: 'precursors', score: 2, evidence: [{ term: 'acetic anhydride', field: 'text', start: 0, end: 16 }] }],
    createdAt: `2025-03-0${n}T09:00:00.000Z`, ...overrides,
  };
}

describe('renderAtomFeed of story alerts', () => {
  it('titles a story alert as a story and sums the story up', async () => {
    const story: StorySummary = { id: 'st1', title: 'SCO drug-control chiefs meet in Bishkek', articleCount: 3, languages: ['en', 'ru', 'zh'], sources: ['wire-en', 'wire-ru', 'wire-zh'], topics: ['anti-drug-cooperation'], firstSeen: '2025-03-01T08:00:00Z', lastSeen: '2025-03-01T13:00:00Z' };
    const xml = renderAtomFeed({ subscription, selfUrl: 'https://monitor.example.org/f', entries: [{ seq: 1, alert: alert(1, { kind: 'story', storyId: 'st1', story }) }] });
    const [item] = (await new Parser().parseString(xml)).items as Array<Record<string, unknown>>;
    expect(item.title).toBe('Story: Alert 1');
    expect(item.link).toBe('https://news.example.org/1?a=1&b=2');
    expect(String(item.summary)).toContain('Story: 3 articles in en, ru, zh from 3 sources: SCO drug-control chiefs meet in Bishkek');
  });
});

describe('renderAtomFeed', () => {
  const hostileTitle = 'Heroin <script>alert("x")</script> & ]]> \u0001 seized';
  const xml = renderAtomFeed({
    subscription,
    selfUrl: 'https://monitor.example.org/subscriptions/s1/atom?key=a&b',
    entries: [{ seq: 2, alert: alert(2, { title: hostileTitle }) }, { seq: 1, alert: alert(1, { url: 'javascript:alert(1)' }) }],
  });

  it('parses back as Atom with the required elements', async () => {
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Drug-control monitor: Opiates & <friends>');
    expect(feed.items).toHaveLength(2);
    const [first, second] = feed.items as Array<Record<string, unknown>>;
    expect(first.title).toBe('Heroin <script>alert("x")</script> & ]]>  seized');
    expect(first.id).toBe('urn:drug-control-monitor:alert:al2');
    expect(first.link).toBe('https://news.example.org/2?a=1&b=2');
    expect(first.pubDate).toBe('2025-03-01T08:00:00.000Z');
    expect(String(first.summary)).toContain('Precursors (2): acetic anhydride (text)');
    expect(second.link).toBeUndefined();
  });

  it('names the source as the alert recorded it, else by what the caller knows, else by id', async () => {
    const named = renderAtomFeed({
      subscription,
      selfUrl: 'https://monitor.example.org/s1.atom',
      sourceName: (id) => (id === 'incb' ? 'INCB news' : undefined),
      entries: [
        { seq: 3, alert: alert(3, { sourceName: 'UNODC press releases' }) },
        { seq: 2, alert: alert(2, { sourceId: 'incb' }) },
        { seq: 1, alert: alert(1, { sourceId: 'euda' }) },
      ],
    });
    const summaries = (await new Parser().parseString(named)).items.map((i) => String((i as Record<string, unknown>).summary));
    expect(summaries[0]).toContain('UNODC press releases');
    expect(summaries[1]).toContain('INCB news');
    expect(summaries[2]).toContain('euda');
  });

  it('has feed id, updated, self link and author, and never raw markup from a feed', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml).toContain('<id>urn:drug-control-monitor:subscription:s1</id>');
    expect(xml).toContain('<updated>2025-03-02T09:00:00.000Z</updated>');
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="https://monitor.example.org/subscriptions/s1/atom?key=a&amp;b"/>');
    expect(xml).toContain('<author><name>');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('javascript:');
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    for (const entry of xml.split('<entry>').slice(1)) {
      for (const tag of ['<id>', '<title', '<updated>']) expect(entry).toContain(tag);
    }
  });

  it('an empty feed is still valid Atom', async () => {
    const empty = renderAtomFeed({ subscription, selfUrl: 'https://m.example.org/f', entries: [], now: () => new Date('2025-01-01T00:00:00Z') });
    expect(empty).toContain('<updated>2025-01-01T00:00:00.000Z</updated>');
    expect((await new Parser().parseString(empty)).items).toEqual([]);
  });
});
