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

// Endings of up to three letters sit in flat tables indexed by their letters in base 33 (35,937
// bytes at most), so most words cost a few typed-array reads; this runs once per Russian word. The
// few four-letter endings are compared one by one: a 1.2 MB table would only spread over the cache.
const FLAT_MAX = 3; // the code below reads flat[1..3] and `longer` for four letters
const flat: Uint8Array[] = [];
for (let l = 0; l <= FLAT_MAX; l++) flat.push(new Uint8Array(33 ** l));
const longerKeys: number[] = [];
for (const ending of ENDINGS) {
  let key = 0;
  for (const ch of ending) key = key * 33 + letterIndex(ch.charCodeAt(0));
  if (ending.length > MAX_ENDING) throw new Error(`Russian ending "${ending}" is longer than ${MAX_ENDING} letters`);
  if (ending.length <= FLAT_MAX) flat[ending.length][key] = 1;
  else longerKeys.push(key);
}
/** The four-letter endings' keys: one or two, so a scan of a typed array beats a Set's hashing. */
const longer = Int32Array.from(longerKeys);
function isLongerEnding(key: number): boolean {
  for (let i = 0; i < longer.length; i++) if (longer[i] === key) return true;
  return false;
}

/** How many code units to strip from the lower-cased word units[start, end). */
export function russianEndingLength(units: Uint16Array, start: number, end: number): number {
  const longest = Math.min(MAX_ENDING, end - start - MIN_STEM);
  if (longest < 1) return 0;
  // The candidate endings are suffixes of one another, so their keys build up from the last
  // letter: each letter is read once, and a non-Russian letter rules out every longer candidate.
  const k1 = letterIndex(units[end - 1]);
  if (k1 === 0) return 0;
  const i2 = longest >= 2 ? letterIndex(units[end - 2]) : 0;
  const k2 = i2 === 0 ? -1 : i2 * 33 + k1;
  const i3 = k2 >= 0 && longest >= 3 ? letterIndex(units[end - 3]) : 0;
  const k3 = i3 === 0 ? -1 : i3 * 33 * 33 + k2;
  const i4 = k3 >= 0 && longest >= 4 ? letterIndex(units[end - 4]) : 0;
  if (i4 !== 0 && isLongerEnding(i4 * 33 * 33 * 33 + k3)) return 4;
  if (k3 >= 0 && flat[3][k3] === 1) return 3;
  if (k2 >= 0 && flat[2][k2] === 1) return 2;
  return flat[1][k1] === 1 ? 1 : 0;
}

/** The stem of one lower-cased Russian word (for tests and for reviewing taxonomy terms). */
export function russianStem(word: string): string {
  const units = Uint16Array.from(word, (ch) => ch.charCodeAt(0));
  return word.slice(0, word.length - russianEndingLength(units, 0, units.length));
}
