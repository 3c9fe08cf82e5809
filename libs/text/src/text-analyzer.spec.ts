import { analyzeText, foldWord, indexTerms, indexText, normalizeWord, phraseTerms } from './text-analyzer';

const indexed = (text: string) => indexTerms(text).join(' ');

describe('indexTerms', () => {
  it('meets inflected forms of Russian and English words on one term', () => {
    expect(indexed('наркотиков')).toBe(indexed('наркотикам'));
    expect(indexed('Наркотики')).toBe(indexed('наркотиков'));
    expect(indexed('Trafficking')).toBe(indexed('trafficked'));
  });

  it('folds ё to е and applies NFKC (full-width Latin becomes ASCII)', () => {
    expect(indexed('ещё')).toBe(indexed('еще'));
    expect(indexed('ＵＮＯＤＣ')).toBe('unodc');
  });

  it('picks the stemmer by the script of each word in a mixed text', () => {
    expect(indexed('UNODC провёл операции')).toBe(`unodc ${normalizeWord('провел')} ${normalizeWord('операциями')}`);
  });

  it('splits a CJK run into overlapping bigrams, then its single characters', () => {
    expect(indexed('加强禁毒合作')).toBe('加强 强禁 禁毒 毒合 合作 加 强 禁 毒 合 作');
    expect(indexed('毒')).toBe('毒');
  });

  it('splits words on hyphens and punctuation, and leaves no punctuation inside a term', () => {
    expect(indexTerms('drug-control')).toEqual(['drug', 'control']);
    for (const term of indexTerms("UNODC's O'Neill anti-drug 2,5 t.")) expect(term).not.toMatch(/['’,.-]/);
  });
});

describe('indexText', () => {
  it('gives the term stream of indexTerms, space-separated, for every kind of run', () => {
    const texts = [
      '',
      ' -- ',
      'Heroin seizures: UNODC’s report on the Afghan opiate trade, 2,5 t.',
      'Страны ШОС усилят борьбу с незаконным оборотом наркотиков, ещё раз',
      '上合组织成员国加强禁毒合作。毒 会议',
      // A compatibility ideograph and half-width katakana: runs not in NFKC.
      '\uF900毒 ｶﾞｲﾄﾞ 𠀀禁毒 and ＵＮＯＤＣ',
    ];
    for (const text of texts) expect(indexText(text)).toBe(indexed(text));
  });
});

describe('analyzeText', () => {
  it('keeps offsets into the original text, surrogate pairs included, and consecutive positions', () => {
    const text = 'Ёлки: 𠀀禁毒 и героин';
    const tokens = analyzeText(text);
    for (const token of tokens) expect(text.slice(token.start, token.end).length).toBeGreaterThan(0);
    const heroin = tokens.find((token) => token.term === normalizeWord('героин'))!;
    expect(text.slice(heroin.start, heroin.end)).toBe('героин');
    const bigram = tokens.find((token) => token.term === '禁毒')!;
    expect(text.slice(bigram.start, bigram.end)).toBe('禁毒');
    expect(tokens.map((token) => token.position)).toEqual(tokens.map((_, index) => index));
    expect(tokens.map((token) => token.term)).toEqual(indexTerms(text));
  });
});

describe('phraseTerms and foldWord', () => {
  it('gives a CJK word as the phrase of its bigrams, without single characters', () => {
    expect(phraseTerms('禁毒合作')).toEqual(['禁毒', '毒合', '合作']);
    expect(phraseTerms('"drug trafficking"')).toEqual(['drug', 'traffick']);
  });

  it('folds a word without stemming it', () => {
    expect(foldWord('Trafficking')).toBe('trafficking');
    expect(foldWord("O'Ne")).toBe('one');
  });
});
