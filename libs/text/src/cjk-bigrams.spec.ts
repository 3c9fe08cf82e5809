import { cjkIndexTerms, cjkTerms, hasCjk } from './cjk-bigrams';

const terms = (list: { term: string }[]) => list.map((t) => t.term);

describe('cjkTerms', () => {
  it('splits a run into overlapping bigrams and its single characters', () => {
    const { bigrams, singles } = cjkTerms('加强禁毒合作');
    expect(terms(bigrams)).toEqual(['加强', '强禁', '禁毒', '毒合', '合作']);
    expect(terms(singles)).toEqual(['加', '强', '禁', '毒', '合', '作']);
  });

  it('indexes traditional characters as simplified, offsets unchanged', () => {
    expect(cjkIndexTerms('緝毒行動')).toEqual(cjkIndexTerms('缉毒行动'));
    const { bigrams } = cjkTerms('查獲海洛因');
    expect(bigrams.map((b) => b.term)).toEqual(['查获', '获海', '海洛', '洛因']);
    expect(bigrams[1]).toMatchObject({ start: 1, end: 3 });
  });

  it('keeps a lone character as its own term, with no singles', () => {
    expect(cjkTerms('毒')).toEqual({ bigrams: [{ term: '毒', start: 0, end: 1 }], singles: [] });
  });

  it('gives offsets of the original, counting a character outside the BMP as two units', () => {
    const { bigrams } = cjkTerms('𠀀禁毒');
    expect(bigrams.map(({ start, end }) => [start, end])).toEqual([[0, 3], [2, 4]]);
  });

  it('folds compatibility ideographs to the unified ones', () => {
    // U+F900 is the compatibility form of 豈 (U+8C48), whose simplified form is 岂.
    expect(terms(cjkTerms('\uF900毒').bigrams)).toEqual(['岂毒']);
  });
});

describe('hasCjk', () => {
  it('recognises Chinese, Japanese and Korean, not Latin or Cyrillic', () => {
    for (const text of ['禁毒', 'カタカナ', 'ひらがな', '한국어']) expect(hasCjk(text)).toBe(true);
    for (const text of ['heroin', 'героин', '2024']) expect(hasCjk(text)).toBe(false);
  });
});
