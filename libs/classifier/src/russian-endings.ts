/**
 * A light Russian stemmer: it strips one case/number/gender ending (noun and adjective endings of
 * the Snowball Russian algorithm) from a word of four letters or more, keeping a stem of at least
 * three letters. Text and taxonomy terms go through the same function, so a term written in any
 * form ("незаконный оборот наркотиков") meets every inflected form of the same words in an article.
 *
 * Hand-written instead of `snowball-stemmers` because that stemmer costs about 13 µs per word on
 * this machine (a Russian article has ~250 words: ~3 ms, 60× the per-article budget of the
 * classifier), and matching only needs the endings stripped, not the derivational suffixes.
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

const byLength: Set<number>[] = [];
for (let l = 0; l <= MAX_ENDING; l++) byLength.push(new Set());
for (const ending of ENDINGS) {
  let key = 0;
  for (const ch of ending) key = key * 33 + letterIndex(ch.charCodeAt(0));
  byLength[ending.length].add(key);
}

/** How many code units to strip from the lower-cased word units[start, end). */
export function russianEndingLength(units: ArrayLike<number>, start: number, end: number): number {
  const wordLength = end - start;
  for (let l = Math.min(MAX_ENDING, wordLength - MIN_STEM); l >= 1; l--) {
    let key = 0;
    let ok = true;
    for (let i = end - l; i < end; i++) {
      const idx = letterIndex(units[i]);
      if (idx === 0) {
        ok = false;
        break;
      }
      key = key * 33 + idx;
    }
    if (ok && byLength[l].has(key)) return l;
  }
  return 0;
}

/** The stem of one lower-cased Russian word (for tests and for reviewing taxonomy terms). */
export function russianStem(word: string): string {
  const units = Array.from(word, (ch) => ch.charCodeAt(0));
  return word.slice(0, word.length - russianEndingLength(units, 0, units.length));
}
