/**
 * A light Russian stemmer: it strips one case/number/gender ending (noun and adjective endings of
 * the Snowball Russian algorithm) from a word of four letters or more, keeping a stem of at least
 * three letters. Text and taxonomy terms go through the same function, so a term written in any
 * form ("незаконный оборот наркотиков") meets every inflected form of the same words in an article.
 *
 * Hand-written instead of `snowball-stemmers` because that stemmer costs about 13 µs per word on
 * this machine (a Russian article has ~250 words: ~3 ms, 60× the per-article budget of the
 * classifier), and matching only needs the endings stripped, not the derivational suffixes.
 *
 * Measured against the Snowball stemmer search uses (libs/text stemmerFor('ru'), memoised), on
 * taxonomy 2026.12.1, with russianEndingLength swapped for the strip length Snowball gives:
 * - corpus dev part, Russian (111 articles), macro-F1 / micro-F1: this stemmer 0.898 / 0.889;
 *   Snowball 0.847 / 0.862 as swapped, 0.898 / 0.889 once the Russian prefix terms (`афган*`,
 *   `рекреационн*`, `изъят*`, ...) are cut to what Snowball leaves of their forms;
 * - the extra dev set (/work/shared/data/dev-articles.jsonl, 31 Russian articles): this stemmer
 *   0.825 / 0.880; Snowball 0.731 / 0.861 swapped, 0.812 / 0.865 with the cut prefixes;
 * - npm run bench:classifier, two interleaved runs each: this stemmer 24,455 and 18,938
 *   articles/s; Snowball 18,094 and 15,581 (below the 20,000 floor; and the bench repeats seven
 *   articles, so the memo hides most of Snowball's per-word cost that a stream of news would pay).
 * Equal at best on quality and a quarter slower: the classifier keeps this stemmer; search keeps
 * Snowball (libs/text).
 */
const ENDINGS = [
  // adjective and participle endings
  'ее', 'ие', 'ые', 'ое', 'ими', 'ыми', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом',
  'его', 'ого', 'ему', 'ому', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею',
  // noun endings
  'а', 'ев', 'ов', 'ье', 'е', 'иями', 'ями', 'ами', 'еи', 'ии', 'и', 'ией', 'ий', 'й',
  'иям', 'ям', 'ием', 'ам', 'о', 'у', 'ах', 'иях', 'ях', 'ы', 'ь', 'ию', 'ью', 'ю', 'ия', 'ья', 'я',
];

const MIN_STEM = 3;
const MAX_ENDING = 4;

/** Cyrillic а..я (U+0430..U+044F) → 1..32, anything else 0 (never part of an ending). */
function letterIndex(c: number): number {
  return c >= 0x430 && c <= 0x44f ? c - 0x42f : 0;
}

// The endings, read backwards from a word's last letter, as a small trie: state × letter → next
// state in one byte table (a few KB, so it stays in cache; this runs once per Russian word), and
// whether an ending is complete at a state. A word costs one table read per letter of its longest
// matching ending, and stops at the first letter no ending continues with.
const LETTERS = 33;
const nextState: number[] = [];
const complete: number[] = [0];
const states = (): number => complete.length;
for (let i = 0; i < LETTERS; i++) nextState.push(0);
for (const ending of ENDINGS) {
  if (ending.length > MAX_ENDING) throw new Error(`Russian ending "${ending}" is longer than ${MAX_ENDING} letters`);
  let state = 0;
  for (let k = ending.length - 1; k >= 0; k--) {
    const letter = letterIndex(ending.charCodeAt(k));
    if (letter === 0) throw new Error(`Russian ending "${ending}" has a letter outside а-я`);
    if (nextState[state * LETTERS + letter] === 0) {
      nextState[state * LETTERS + letter] = states();
      complete.push(0);
      for (let i = 0; i < LETTERS; i++) nextState.push(0);
    }
    state = nextState[state * LETTERS + letter];
  }
  complete[state] = 1;
}
if (states() > 0xff) throw new Error('unreachable: the Russian endings need more than 255 states');
const NEXT = Uint8Array.from(nextState);
const COMPLETE = Uint8Array.from(complete);

/** How many code units to strip from the lower-cased word units[start, end). */
export function russianEndingLength(units: Uint16Array, start: number, end: number): number {
  const longest = Math.min(MAX_ENDING, end - start - MIN_STEM);
  let strip = 0;
  let state = 0;
  for (let k = 1; k <= longest; k++) {
    const letter = letterIndex(units[end - k]);
    if (letter === 0) break;
    state = NEXT[state * LETTERS + letter];
    if (state === 0) break;
    if (COMPLETE[state] === 1) strip = k;
  }
  return strip;
}

/** The stem of one lower-cased Russian word (for tests and for reviewing taxonomy terms). */
export function russianStem(word: string): string {
  const units = Uint16Array.from(word, (ch) => ch.charCodeAt(0));
  return word.slice(0, word.length - russianEndingLength(units, 0, units.length));
}
