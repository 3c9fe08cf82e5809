import { analyzeQuery, analyzeText, indexedTerms } from './search-analyzer';

describe('analyzeText', () => {
  it('stems Russian words so that inflected forms meet', () => {
    expect(indexedTerms('наркотиков')).toBe(indexedTerms('наркотикам'));
    expect(indexedTerms('Наркотики')).toBe(indexedTerms('наркотиков'));
  });

  it('stems English words and folds case', () => {
    expect(indexedTerms('Trafficking')).toBe(indexedTerms('trafficked'));
    expect(indexedTerms('Seizures')).toBe(indexedTerms('seizure'));
  });

  it('folds ё to е and applies NFKC (full-width Latin becomes ASCII)', () => {
    expect(indexedTerms('ещё')).toBe(indexedTerms('еще'));
    expect(indexedTerms('ＵＮＯＤＣ')).toBe('unodc');
  });

  it('picks the stemmer by the script of each word in a mixed text', () => {
    expect(indexedTerms('UNODC провёл операции')).toBe(`unodc ${indexedTerms('провел')} ${indexedTerms('операциями')}`);
  });

  it('splits a CJK run into overlapping bigrams, then its single characters', () => {
    expect(indexedTerms('加强禁毒合作')).toBe('加强 强禁 禁毒 毒合 合作 加 强 禁 毒 合 作');
    expect(indexedTerms('毒')).toBe('毒');
  });

  it('keeps offsets into the original text, surrogate pairs included', () => {
    const text = 'Ёлки: 𠀀禁毒 и героин';
    const tokens = analyzeText(text);
    for (const token of tokens) expect(text.slice(token.start, token.end).length).toBeGreaterThan(0);
    const heroin = tokens.find((token) => token.term === indexedTerms('героин'))!;
    expect(text.slice(heroin.start, heroin.end)).toBe('героин');
    const bigram = tokens.find((token) => token.term === '禁毒')!;
    expect(text.slice(bigram.start, bigram.end)).toBe('禁毒');
    expect(tokens.filter((token) => token.stream === 'main').map((token) => token.position)).toEqual(
      tokens.filter((token) => token.stream === 'main').map((_, index) => index),
    );
  });

  it('leaves no punctuation inside a term', () => {
    for (const term of indexedTerms("UNODC's O'Neill anti-drug 2,5 t.")) expect(term).not.toMatch(/['’,.-]/);
  });
});

describe('analyzeQuery', () => {
  it('ANDs words and drops stopwords when other words remain', () => {
    expect(analyzeQuery('heroin in Afghanistan').must).toEqual([
      { anyOf: [{ terms: ['heroin'] }] },
      { anyOf: [{ terms: ['afghanistan'] }] },
    ]);
    expect(analyzeQuery('the').must).toEqual([{ anyOf: [{ terms: ['the'] }] }]);
  });

  it('reads quoted phrases, OR and exclusions', () => {
    const query = analyzeQuery('"drug trafficking" heroin OR opium -cannabis');
    expect(query.must).toEqual([
      { anyOf: [{ terms: ['drug', 'traffick'] }] },
      { anyOf: [{ terms: ['heroin'] }, { terms: ['opium'] }] },
    ]);
    expect(query.mustNot).toEqual([{ terms: ['cannabi'] }]);
  });

  it('turns a Chinese word into a phrase of its bigrams', () => {
    expect(analyzeQuery('禁毒').must).toEqual([{ anyOf: [{ terms: ['禁毒'] }] }]);
    expect(analyzeQuery('禁毒合作').must).toEqual([{ anyOf: [{ terms: ['禁毒', '毒合', '合作'] }] }]);
  });

  it('analyses an inflected Russian word to the stem the index holds', () => {
    expect(analyzeQuery('наркотикам').must[0].anyOf[0].terms).toEqual(indexedTerms('наркотиков').split(' '));
  });

  it('has no clauses for an empty or punctuation-only query', () => {
    expect(analyzeQuery('  ').must).toEqual([]);
    expect(analyzeQuery('?!').must).toEqual([]);
  });
});
