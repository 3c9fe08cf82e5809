import { parseQuery } from './query-parser';
import { toElasticQuery } from './elastic-query-compiler';

const fields = [{ name: 'title_terms', boost: 3 }, { name: 'text_terms' }];
const compile = (q: string) => toElasticQuery(parseQuery(q), fields);
const phrase = (query: string) => ({ multi_match: { query, type: 'phrase', fields: ['title_terms^3', 'text_terms'] } });

describe('toElasticQuery', () => {
  it('makes each word or phrase a phrase over the term fields, ANDed by bool must', () => {
    expect(compile('heroin "drug trafficking"')).toEqual({ bool: { must: [phrase('heroin'), phrase('drug traffick')] } });
    expect(compile('禁毒合作')).toEqual(phrase('禁毒 毒合 合作'));
  });

  it('makes OR a should with one required, a negation a must_not', () => {
    expect(compile('heroin OR opium -cannabis')).toEqual({
      bool: {
        should: [phrase('heroin'), { bool: { must: [phrase('opium')], must_not: [phrase('cannabi')] } }],
        minimum_should_match: 1,
      },
    });
    expect(compile('-heroin')).toEqual({ bool: { must_not: [phrase('heroin')] } });
  });

  it('makes a prefix a prefix query on each term field', () => {
    expect(compile('traffick*')).toEqual({
      bool: {
        should: [{ prefix: { title_terms: { value: 'traffick', boost: 3 } } }, { prefix: { text_terms: { value: 'traffick' } } }],
        minimum_should_match: 1,
      },
    });
  });
});
