import { foldLetters, foldText } from './text-normalizer';

describe('foldText', () => {
  it('applies NFKC and lower case: full-width Latin becomes ASCII', () => {
    expect(foldText('ＵＮＯＤＣ')).toBe('unodc');
    expect(foldText('Heroin')).toBe('heroin');
  });

  it('folds ё to е and the typographic apostrophe to the ASCII one', () => {
    expect(foldText('Ещё')).toBe('еще');
    expect(foldText('UNODC’s')).toBe("unodc's");
  });

  it('keeps diacritics that tell words apart', () => {
    expect(foldText('Año')).toBe('año');
    expect(foldText('йод')).toBe('йод');
  });
});

describe('foldLetters', () => {
  it('folds letters as foldText does, but leaves punctuation alone', () => {
    expect(foldLetters('ＵＮＯＤＣ Ещё')).toBe('unodc еще');
    expect(foldLetters('people’s')).toBe('people’s');
  });
});
