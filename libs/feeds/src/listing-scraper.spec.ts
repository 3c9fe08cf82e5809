import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle } from './article-page';
import { scrapeListing } from './listing-scraper';
import { parseLooseDate } from './loose-date';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('scrapeListing', () => {
  it('reads items by selectors, resolves links absolute, parses dates and skips items without a link', () => {
    const items = scrapeListing(fixture('sco-listing.html'), 'https://eng.example.org/news/', {
      item: '.news-item',
      link: 'a',
      date: '.date',
      summary: '.teaser',
    });
    expect(items).toEqual([
      {
        title: 'Meeting of the Heads of Competent Authorities on Combating Illicit Drug Trafficking held in Dushanbe',
        link: 'https://eng.example.org/news/20251103/3001.html',
        publishedAt: '2025-11-03T00:00:00.000Z',
        summary: 'Delegations reviewed joint counter-narcotics operations.',
      },
      {
        title: 'Secretary-General receives the Ambassador of a member state',
        link: 'https://eng.example.org/news/news/20251103/3002.html?utm_source=home',
        publishedAt: '2025-11-03T00:00:00.000Z',
      },
      { title: 'Cultural week opens at the Secretariat', link: 'https://www.example.org/news/20251101/3003.html', publishedAt: '2025-11-01T00:00:00.000Z' },
    ]);
  });

  it('returns nothing when the selector matches nothing', () => {
    expect(scrapeListing(fixture('sco-listing.html'), 'https://eng.example.org/news/', { item: '.no-such-class' })).toEqual([]);
  });
});

describe('extractArticle', () => {
  it('takes the configured content selector, sanitised, with absolute image URLs', () => {
    const article = extractArticle(fixture('sco-article.html'), 'https://eng.example.org/news/20251103/3001.html', { content: '.article-body', date: '.date' });
    expect(article.foundBy).toBe('selector');
    expect(article.title).toBe('Meeting of the Heads of Competent Authorities on Combating Illicit Drug Trafficking');
    expect(article.publishedAt).toBe('2025-11-03T00:00:00.000Z');
    expect(article.text).toContain('situation in Afghanistan');
    expect(article.contentHtml).toContain('src="https://eng.example.org/img/meeting.jpg"');
    expect(article.contentHtml).not.toMatch(/onerror|script/);
  });

  it('falls back to the largest block of paragraphs, leaving navigation and scripts out', () => {
    const article = extractArticle(fixture('sco-article.html'), 'https://eng.example.org/a.html');
    expect(article.foundBy).toBe('largest-block');
    expect(article.text).toContain('precursor chemicals');
    expect(article.text).not.toContain('Related: short link list');
    expect(article.text).not.toContain('tracking');
  });

  it('prefers <article> when there is one', () => {
    const html = `<html><body><div><p>menu</p></div><article><h1>T</h1><p>${'Body text about drug policy. '.repeat(5)}</p></article></body></html>`;
    expect(extractArticle(html, 'https://e.org/').foundBy).toBe('article');
  });
});

describe('parseLooseDate in listing languages', () => {
  it.each([
    ['03.11.2025', '2025-11-03T00:00:00.000Z'],
    ['2025-11-03', '2025-11-03T00:00:00.000Z'],
    ['3 November 2025', '2025-11-03T00:00:00.000Z'],
    ['3 ноября 2025 г.', '2025-11-03T00:00:00.000Z'],
    ['2025年11月3日', '2025-11-03T00:00:00.000Z'],
    ['November 3, 2025', '2025-11-03T00:00:00.000Z'],
    ['Published: 03.11.2025 10:15', '2025-11-03T00:00:00.000Z'],
    ['Fri, Oct 7 2022 10:15:00 -0400', '2022-10-07T14:15:00.000Z'],
    ['Mon, 22 Mar 2022 10:00:00 GMT', '2022-03-22T10:00:00.000Z'],
    ['2018-09-18 14:38:10', '2018-09-18T14:38:10.000Z'],
    ['not a date', null],
    ['', null],
  ])('%s', (text, expected) => {
    expect(parseLooseDate(text)).toBe(expected);
  });
});
