import { MatchTextBuffer } from './match-text';

/** [normalised unit, original start, original end] for every unit of the filled text. */
function mapping(text: MatchTextBuffer): [string, number, number][] {
  return Array.from({ length: text.length }, (_, p) => [String.fromCharCode(text.units[p]), text.originalStart(p), text.originalEnd(p)]);
}

describe('MatchTextBuffer', () => {
  it('folds case, spaces and dashes, and strips Russian endings', () => {
    expect(new MatchTextBuffer().fill('Illicit  DRUG—trafficking\n\tНаркотиков ёлка 禁毒').toString()).toBe('illicit drug trafficking наркотик елк 禁毒');
  });

  it('maps each unit back to where it came from, a stemmed word ending where the word does', () => {
    const input = 'Opium,  НАРКОТИКОВ и 毒品!';
    const text = new MatchTextBuffer().fill(input);
    expect(text.toString()).toBe('opium, наркотик и 毒品!');
    const units = mapping(text);
    expect(units.slice(0, 7)).toEqual([
      ['o', 0, 1], ['p', 1, 2], ['i', 2, 3], ['u', 3, 4], ['m', 4, 5], [',', 5, 6], [' ', 6, 7],
    ]);
    // "наркотик" is "НАРКОТИКОВ" without its ending: its last unit ends after "ОВ".
    expect(units[14]).toEqual(['к', 15, 18]);
    expect(input.slice(units[7][1], units[14][2])).toBe('НАРКОТИКОВ');
    expect(units.slice(-3)).toEqual([['毒', 21, 22], ['品', 22, 23], ['!', 23, 24]]);
  });

  // Units that expand under NFKC ("…", "ﬁ") or combine with the one before send a field down the
  // general path, which records every end; the fast path derives them. Both must agree.
  const samples = [
    'Illicit drug trafficking, 12.5 tonnes. Незаконный оборот наркотиков! 禁毒合作。',
    '  Наркотиков   и наркотикам —  opium-poppy; «ёлка» heroin',
    'UNODC: 上合组织禁毒合作 and the SCO; наркотрафик.',
    'Последнее слово наркотиков',
  ];
  it.each(samples)('maps offsets the same on the fast and the general path: %s', (input) => {
    const fast = mapping(new MatchTextBuffer().fill(input));
    // A trailing "…" (three full stops under NFKC) takes the general path without changing what comes before it.
    const general = mapping(new MatchTextBuffer().fill(`${input} …`));
    expect(general.slice(0, fast.length)).toEqual(fast);
    expect(general.slice(fast.length).map(([u]) => u).join('')).toBe(' ...');
  });

  it('keeps the last Cyrillic word whole when asked (a prefix term)', () => {
    expect(new MatchTextBuffer().fill('наркотиков', false).toString()).toBe('наркотиков');
    expect(new MatchTextBuffer().fill('наркотиков').toString()).toBe('наркотик');
  });

  it('composes a combining mark with the letter before it, ending that unit after the mark', () => {
    const input = 'и\u0306од';
    const text = new MatchTextBuffer().fill(input);
    expect(text.toString()).toBe('йод');
    expect(mapping(text)[0]).toEqual(['й', 0, 2]);
  });
});
