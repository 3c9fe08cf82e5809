import { articleIdFromGuid, articleIdFromUrl } from '@monitor/contracts';
import { canonicalUrl, itemArticleId } from './canonical-url';

describe('canonicalUrl', () => {
  it('drops what does not change the article and keeps what does', () => {
    expect(canonicalUrl('HTTPS://News.UN.org:443/en/story/2025/11/1234/?utm_source=rss&utm_medium=feed&b=2&a=1&fbclid=x#top')).toBe(
      'https://news.un.org/en/story/2025/11/1234?a=1&b=2',
    );
    expect(canonicalUrl('http://eng.sectsco.org:80/news/20201105/688749.html?gclid=abc')).toBe('http://eng.sectsco.org/news/20201105/688749.html');
    expect(canonicalUrl('https://www.unodc.org/')).toBe('https://www.unodc.org');
    expect(canonicalUrl('https://www.unodc.org/unodc/en/press/?id=7')).not.toBe(canonicalUrl('https://www.unodc.org/unodc/en/press/?id=8'));
  });

  it('gives one id to the same article linked two ways, and a guid id when there is no link', () => {
    const a = itemArticleId('un-news-en', { link: 'https://news.un.org/en/story/2025/11/1?utm_campaign=x' });
    const b = itemArticleId('unodc', { link: 'https://NEWS.un.org/en/story/2025/11/1#comments' });
    expect(a).toBe(b);
    expect(a).toBe(articleIdFromUrl('https://news.un.org/en/story/2025/11/1'));
    expect(itemArticleId('incb', { guid: 'tag:incb.org,2025:42' })).toBe(articleIdFromGuid('incb', 'tag:incb.org,2025:42'));
    expect(itemArticleId('incb', {})).toBeUndefined();
  });
});
