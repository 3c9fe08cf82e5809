import { parseQuery } from '@monitor/query';
import { highlightArticle, highlightText } from './search-highlighter';

describe('highlightText', () => {
  it('marks inflected Russian forms', () => {
    expect(highlightText('Оборот наркотиков растёт', parseQuery('наркотикам'))).toEqual(['Оборот <mark>наркотиков</mark> растёт']);
  });

  it('marks a Chinese word inside a sentence as one span', () => {
    expect(highlightText('双方同意加强禁毒合作。', parseQuery('禁毒'))).toEqual(['双方同意加强<mark>禁毒</mark>合作。']);
    expect(highlightText('双方同意加强禁毒合作。', parseQuery('禁毒合作'))).toEqual(['双方同意加强<mark>禁毒合作</mark>。']);
  });

  it('marks a phrase only where its words are adjacent', () => {
    const text = 'drug seizures and trafficking of drug trafficking networks';
    expect(highlightText(text, parseQuery('"drug trafficking"'))).toEqual([
      'drug seizures and trafficking of <mark>drug trafficking</mark> networks',
    ]);
  });

  it('marks every word a prefix matches, and no excluded word', () => {
    expect(highlightText('Traffickers and trafficking of heroin', parseQuery('traffick* -heroin OR heroin'))).toEqual([
      '<mark>Traffickers</mark> and <mark>trafficking</mark> of <mark>heroin</mark>',
    ]);
    expect(highlightText('heroin and opium', parseQuery('heroin -opium'))).toEqual(['<mark>heroin</mark> and opium']);
  });

  it('escapes everything that came from the feed', () => {
    const [title] = highlightText('<script>alert("x")</script> heroin & opium', parseQuery('heroin'), { wholeField: true });
    expect(title).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>heroin</mark> &amp; opium');
    expect(highlightText('<b>script</b>', parseQuery('script'))).toEqual(['&lt;b&gt;<mark>script</mark>&lt;/b&gt;']);
  });

  it('cuts long texts into short snippets around the matches', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(30);
    const text = `${filler}heroin was seized ${filler}and opium too ${filler}`;
    const snippets = highlightText(text, parseQuery('heroin OR opium'));
    expect(snippets).toHaveLength(2);
    for (const snippet of snippets) {
      expect(snippet.replace(/<\/?mark>/g, '').length).toBeLessThan(220);
      expect(snippet.startsWith('…')).toBe(true);
    }
    expect(snippets[0]).toContain('<mark>heroin</mark>');
    expect(snippets[1]).toContain('<mark>opium</mark>');
  });

  it('returns nothing when the field does not match', () => {
    expect(highlightText('nothing here', parseQuery('heroin'))).toEqual([]);
    expect(highlightArticle({ title: 'Heroin route', text: 'no match' }, parseQuery('heroin'))).toEqual({
      title: ['<mark>Heroin</mark> route'],
    });
  });
});
