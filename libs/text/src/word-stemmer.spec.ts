import { STEMMED_LANGUAGES, stemmerFor, stemWord } from './word-stemmer';

describe('stemWord', () => {
  it('stems Russian words so that inflected forms meet', () => {
    expect(stemWord('наркотиков')).toBe(stemWord('наркотикам'));
    expect(stemWord('наркотики')).toBe('наркотик');
    expect(stemWord('афганистана')).toBe(stemWord('афганистан'));
  });

  it('stems English words', () => {
    expect(stemWord('trafficking')).toBe(stemWord('trafficked'));
    expect(stemWord('seizures')).toBe(stemWord('seizure'));
  });

  it('picks the stemmer by script, and leaves other scripts alone', () => {
    expect(stemWord('операциями')).toBe(stemmerFor('ru')!('операциями'));
    expect(stemWord('禁毒')).toBe('禁毒');
    expect(stemWord('2024')).toBe('2024');
  });
});

describe('stemmerFor', () => {
  it('has a stemmer for each language it names, and none for others', () => {
    for (const language of STEMMED_LANGUAGES) expect(typeof stemmerFor(language)!('word')).toBe('string');
    expect(stemmerFor('fr-CA')!('nationales')).toBe('national');
    expect(stemmerFor('zh')).toBeNull();
  });
});
