import { MatchTextBuffer, normaliseTerm } from './match-text';
import { TermStartFilter } from './term-start-filter';

const startsOf = (filter: TermStartFilter, input: string): string[] => {
  const text = new MatchTextBuffer().fill(input);
  const words = text.toString();
  const found: string[] = [];
  for (let w = 0; w < text.startCount; w++) {
    const p = text.starts[w];
    if (filter.mayStart(text.units, text.length, p)) found.push(words.slice(p).split(' ')[0]);
  }
  return found;
};

describe('TermStartFilter', () => {
  const terms = ['deliveries', 'methamphetamine', 'drug', 'poppy', 'наркотиков', '毒品', '禁毒合作', 'x'].map((t) => normaliseTerm(t, false));
  const filter = new TermStartFilter(terms);

  it('answers maybe wherever a term starts, whatever its length, and at the end of the text', () => {
    expect(startsOf(filter, 'controlled deliveries of methamphetamine and drug poppy')).toEqual(['deliveries', 'methamphetamine', 'drug', 'poppy']);
    expect(startsOf(filter, 'Незаконный оборот наркотиков')).toEqual(['наркотик']);
    expect(startsOf(filter, 'a x b')).toEqual(['x']);
    // A text that ends before the six-unit question can be asked.
    expect(startsOf(filter, 'the drug')).toEqual(['drug']);
  });

  it('answers no to words that share their first three units with a term but not their first six', () => {
    expect(startsOf(filter, 'delegations met in the meeting room')).toEqual([]);
  });

  it('tells Chinese characters apart by the two that begin a term', () => {
    const fill = (input: string): MatchTextBuffer => new MatchTextBuffer(filter.firstUnits).fill(input);
    const text = fill('禁止毒贩，毒品禁毒合作');
    const asked = Array.from(text.starts.subarray(0, text.startCount)).filter((p) => filter.mayStart(text.units, text.length, p));
    // 禁 and 毒 begin terms; only 毒品 and 禁毒合作 are term beginnings: not 禁止 nor 毒贩.
    expect(asked.map((p) => text.toString().slice(p, p + 2))).toEqual(['毒品', '禁毒']);
  });
});
