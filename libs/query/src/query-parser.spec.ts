import { ValidationError } from '@monitor/contracts';
import { normalizeWord } from '@monitor/text';
import { positiveLeaves } from './query-ast';
import { parseQuery } from './query-parser';

const root = (q: string) => parseQuery(q).root;
const t = (...words: string[]) => ({ kind: 'terms', terms: words.map(normalizeWord) });

describe('parseQuery', () => {
  it('ANDs words, analysed to index terms, and drops stopwords when other words remain', () => {
    expect(root('Heroin in Afghanistan')).toEqual({ kind: 'and', children: [t('heroin'), t('afghanistan')] });
    expect(root('the')).toEqual(t('the'));
    expect(root('"in the"')).toEqual({ kind: 'terms', terms: ['in', 'the'] });
    expect(root('heroin AND opium')).toEqual({ kind: 'and', children: [t('heroin'), t('opium')] });
  });

  it('reads quoted phrases, OR (also | and ||), exclusions and grouping', () => {
    expect(root('"drug trafficking" heroin OR opium -cannabis')).toEqual({
      kind: 'or',
      children: [
        { kind: 'and', children: [{ kind: 'terms', terms: ['drug', 'traffick'] }, t('heroin')] },
        { kind: 'and', children: [t('opium'), { kind: 'not', child: t('cannabis') }] },
      ],
    });
    expect(root('a1 | b2')).toEqual(root('a1 OR b2'));
    expect(root('a1 || b2')).toEqual(root('a1 OR b2'));
    expect(root('(cocaine OR heroin) -(border OR port)')).toEqual({
      kind: 'and',
      children: [
        { kind: 'or', children: [t('cocaine'), t('heroin')] },
        { kind: 'not', child: { kind: 'or', children: [t('border'), t('port')] } },
      ],
    });
  });

  it('makes a word that splits into several terms a phrase: hyphens, CJK runs', () => {
    expect(root('drug-control')).toEqual({ kind: 'terms', terms: ['drug', 'control'] });
    expect(root('禁毒')).toEqual({ kind: 'terms', terms: ['禁毒'] });
    expect(root('禁毒合作')).toEqual({ kind: 'terms', terms: ['禁毒', '毒合', '合作'] });
  });

  it('analyses an inflected Russian word to the term the index holds', () => {
    expect(root('наркотикам')).toEqual(t('наркотиков'));
  });

  it('reads word* as a folded, unstemmed prefix, and ignores * after CJK', () => {
    expect(root('Traffick*')).toEqual({ kind: 'prefix', prefix: 'traffick' });
    expect(root('наркот*')).toEqual({ kind: 'prefix', prefix: 'наркот' });
    expect(root('禁毒*')).toEqual({ kind: 'terms', terms: ['禁毒'] });
  });

  it('accepts a query of exclusions only: a filter that matches the other documents', () => {
    expect(root('-heroin -"joint operation"')).toEqual({
      kind: 'and',
      children: [{ kind: 'not', child: t('heroin') }, { kind: 'not', child: { kind: 'terms', terms: ['joint', 'oper'] } }],
    });
  });

  it('lists the leaves a match may contain, not the excluded ones', () => {
    expect(positiveLeaves(root('heroin OR traff* -opium'))).toEqual([t('heroin'), { kind: 'prefix', prefix: 'traff' }]);
  });

  it('rejects what it cannot read with a ValidationError naming the field and the place', () => {
    const cases: Array<[string, RegExp]> = [
      ['"open', /query: the quote at character 1 is never closed/],
      ['(a OR b', /"\(" at character 1 is never closed/],
      ['a)', /"\)" at character 2 closes nothing/],
      ['   ', /no words to match/],
      ['---', /no words to match/],
      ['?!', /no words to match/],
      ['OR heroin', /"OR" at character 1 has nothing before it/],
      ['heroin OR', /"OR" at character 8 has nothing after it/],
      ['heroin | | opium', /"OR" at character 8 has nothing after it/],
      ['a*', /prefix "a\*" at character 1 needs at least 2 letters/],
      ['drug-con*', /prefix "drug-con\*" at character 1 must be one word/],
      ['x'.repeat(1001), /at most 1000 characters/],
      [Array.from({ length: 65 }, (_, i) => `w${i}`).join(' '), /at most 64 words/],
      ['('.repeat(20) + 'a' + ')'.repeat(20), /nested deeper than 16/],
    ];
    for (const [query, message] of cases) {
      let error: unknown;
      try {
        parseQuery(query);
      } catch (caught) {
        error = caught;
      }
      expect([query, error]).toEqual([query, expect.any(ValidationError)]);
      expect((error as ValidationError).field).toBe('query');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('names the field it was given and honours a shorter limit', () => {
    expect(() => parseQuery('"x', { field: 'q' })).toThrow(expect.objectContaining({ field: 'q', message: expect.stringMatching(/^q: /) }));
    expect(() => parseQuery('heroin opium', { field: 'q', maxLength: 5 })).toThrow(/q: at most 5 characters/);
  });
});
