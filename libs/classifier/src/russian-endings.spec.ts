import { russianStem } from './russian-endings';

describe('russianStem', () => {
  it.each([
    ['наркотиков', 'наркотик'],
    ['наркотикам', 'наркотик'],
    ['наркотиками', 'наркотик'],
    ['наркотики', 'наркотик'],
    ['незаконного', 'незаконн'],
    ['незаконный', 'незаконн'],
    ['операциями', 'операц'],
    ['оборот', 'оборот'],
    ['мак', 'мак'],
    ['героин', 'героин'],
  ])('%s → %s', (word, stem) => {
    expect(russianStem(word)).toBe(stem);
  });

  it('keeps a stem of at least three letters', () => {
    expect(russianStem('зона')).toBe('зон');
    expect(russianStem('мака')).toBe('мак');
  });

  it('strips nothing from a word that ends in a non-Russian letter', () => {
    expect(russianStem('наркотикs')).toBe('наркотикs');
  });
});
