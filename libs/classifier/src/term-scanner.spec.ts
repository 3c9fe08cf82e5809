import { MatchTextBuffer, isWordUnit, normaliseTerm } from './match-text';
import type { CompiledTerm } from './term-trie';
import { TermScanner } from './term-scanner';

/** What the scanner must find: every occurrence of every term that respects word boundaries. */
function bruteForce(terms: CompiledTerm[], text: MatchTextBuffer): [number, number, number][] {
  const units = String.fromCharCode(...text.units.subarray(0, text.length));
  const found: [number, number, number][] = [];
  terms.forEach((t, term) => {
    for (let start = units.indexOf(t.text); start >= 0; start = units.indexOf(t.text, start + 1)) {
      const end = start + t.text.length;
      if (isWordUnit(t.text.charCodeAt(0)) && start > 0 && isWordUnit(units.charCodeAt(start - 1))) continue;
      if (!t.prefix && isWordUnit(t.text.charCodeAt(t.text.length - 1)) && end < units.length && isWordUnit(units.charCodeAt(end))) continue;
      found.push([term, start, end]);
    }
  });
  return found.sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);
}

function scanned(scanner: TermScanner, text: MatchTextBuffer): [number, number, number][] {
  const hits = scanner.scan(text);
  return Array.from({ length: hits.count }, (_, k) => [hits.term[k], hits.start[k], hits.end[k]] as [number, number, number]);
}

const compile = (written: string[]): CompiledTerm[] =>
  written.map((w) => (w.endsWith('*') ? { text: normaliseTerm(w.slice(0, -1), true), prefix: true } : { text: normaliseTerm(w, false), prefix: false }));

describe('TermScanner', () => {
  const terms = compile([
    'drug', 'drug trafficking', 'illicit drug trafficking', 'trafficking', 'heroin', 'opium poppy', 'poppy',
    'наркотиков', 'незаконный оборот наркотиков', 'оборот', 'наркот*', 'нарко*',
    '毒品', '禁毒', '禁毒合作', '海洛因', '毒', '.com', '(unodc)',
  ]);
  const scanner = new TermScanner(terms);

  it.each([
    'Illicit drug trafficking and drug-trafficking routes; drugs are not a drug.',
    'Opium poppy cultivation: poppy, poppies, opium-poppy.',
    'Незаконный оборот наркотиков и наркотикам; наркотрафик, наркокурьеры. Оборота нет.',
    '上合组织禁毒合作取得进展，缴获海洛因和其他毒品。禁毒',
    'A site like drugs.com and (UNODC) reported 毒品 seizures of heroin.',
    'drug',
    '',
  ])('finds what a brute-force search finds, in reading order: %s', (input) => {
    const text = new MatchTextBuffer().fill(input);
    expect(scanned(scanner, text)).toEqual(bruteForce(terms, text));
  });

  // Without terms that begin with punctuation, only word starts are walked in texts without Chinese.
  const wordTerms = terms.filter((t) => !t.text.startsWith('.') && !t.text.startsWith('('));
  const wordScanner = new TermScanner(wordTerms);

  it.each([
    ['every kind of term', scanner, terms],
    ['no term that begins with punctuation', wordScanner, wordTerms],
  ])('agrees with a brute-force search on generated text (%s)', (_, subject, list) => {
    const words = ['drug', 'drugs', 'trafficking', 'illicit', 'heroin', 'opium', 'poppy', 'наркотиков', 'незаконный', 'оборот', 'наркоторговцы', '毒品', '禁毒', '合作', '会议', '海洛因', 'unodc', '.com', '(unodc)', ',', '-'];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const input = Array.from({ length: 5 + next(30) }, () => words[next(words.length)]).join(next(4) === 0 ? '' : ' ');
      // As the classifier fills it: only the Chinese characters that begin a term are listed as starts.
      const text = new MatchTextBuffer(subject.termFirstUnits).fill(input);
      expect(scanned(subject, text)).toEqual(bruteForce(list, text));
    }
  });

  it('agrees with a brute-force search for random terms over a small alphabet (branches, chains, shared prefixes)', () => {
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const draw = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
    for (let round = 0; round < 20; round++) {
      const written = new Set<string>();
      while (written.size < 40) {
        const term = draw('ab 毒品', 1 + next(12)).trim();
        if (term) written.add(next(5) === 0 ? `${term}*` : term);
      }
      const list = compile([...written]).filter((t) => t.text.length > 0);
      const subject = new TermScanner(list);
      for (let k = 0; k < 20; k++) {
        const text = new MatchTextBuffer(subject.termFirstUnits).fill(draw('ab .毒品', 10 + next(60)));
        expect(scanned(subject, text)).toEqual(bruteForce(list, text));
      }
    }
  });

  it('finds a Latin term in a Chinese text and a Chinese term next to Latin letters', () => {
    const text = new MatchTextBuffer().fill('UNODC称heroin即海洛因');
    const found = scanned(scanner, text).map(([term]) => terms[term].text);
    expect(found).toEqual(expect.arrayContaining(['heroin', '海洛因']));
  });
});
