/**
 * Language of an article, as an ISO 639-1 code ('und' when there is no text to tell).
 *
 * The statistical decision is `tinyld`'s. Two things are decided before it, for cause:
 * - Script first. Han without kana is Chinese, kana is Japanese, Hangul Korean; Cyrillic text with
 *   "ы" or "э" and none of the letters proper to Ukrainian, Belarusian, Kazakh, Kyrgyz, Serbian or
 *   Macedonian is Russian. tinyld gets these wrong on short strings ("Наркотики" → uk) and needs
 *   ~300 µs for 160 characters, ten times the classifier's whole per-article budget.
 * - For Latin script, a count of function words: most announcements the monitor reads are
 *   English, and tinyld errs on short English text ("Drug seizure at the border" → da). Text whose
 *   function words clearly belong to one of a few other languages (French, Spanish…) is that
 *   language: tinyld takes 2–3 ms over a sample, the rest of classification ~60 µs. Otherwise
 *   tinyld decides among the Latin-script languages.
 */
import { detect } from 'tinyld';

const CYRILLIC_LANGUAGES = ['ru', 'uk', 'be', 'kk', 'ky', 'sr', 'mk', 'bg', 'tg', 'mn'];
const LATIN_LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'tr', 'uz', 'id', 'vi', 'pl', 'ro', 'cs', 'sv'];
const SAMPLE = 600;

const ENGLISH = new Set(['the', 'of', 'and', 'to', 'in', 'on', 'for', 'with', 'is', 'was', 'by', 'that', 'from', 'at', 'has', 'are', 'were', 'its', 'this', 'be', 'have']);
/** Function words of other Latin-script languages; a word shared by several counts for each. */
const OTHER_LATIN: [string, string[]][] = [
  ['fr', ['le', 'la', 'les', 'des', 'du', 'et', 'est', 'dans', 'pour', 'une', 'que']],
  ['es', ['el', 'la', 'los', 'las', 'del', 'y', 'que', 'por', 'con', 'una']],
  ['de', ['der', 'die', 'das', 'und', 'ist', 'mit', 'von', 'den']],
  ['pt', ['não', 'em', 'com', 'que', 'por']],
  ['it', ['il', 'di', 'che', 'per', 'la', 'una', 'del', 'con']],
  ['nl', ['een', 'het', 'van']],
  ['tr', ['ve', 'bir', 'bu']],
  ['id', ['dan', 'yang']],
];

/**
 * A Latin-1 letter as a 6-bit code, case folded: a–z → 1..26, à–ÿ → 27..58 (their capitals alike);
 * 0 for anything else. Function words are packed into one small integer by these codes, so a
 * sample's short words are looked up without building a string for each.
 */
function latinCode(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x60;
  if (c >= 0x41 && c <= 0x5a) return c - 0x40;
  if (c >= 0xe0 && c <= 0xff) return c - 0xe0 + 27;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c - 0xc0 + 27;
  return 0;
}

const LONGEST_FUNCTION_WORD = 4;
/** Packed function word → bit 0 English, bit k the k-th language of OTHER_LATIN (k from 1). */
const FUNCTION_WORDS = new Map<number, number>();
const pack = (word: string): number => {
  if (word.length > LONGEST_FUNCTION_WORD) throw new Error(`function word "${word}" is longer than ${LONGEST_FUNCTION_WORD}`);
  let key = 0;
  for (let i = 0; i < word.length; i++) key = key * 64 + latinCode(word.charCodeAt(i));
  return key;
};
for (const word of ENGLISH) FUNCTION_WORDS.set(pack(word), 1);
OTHER_LATIN.forEach(([, words], k) => {
  for (const word of words) {
    const key = pack(word);
    const bits = FUNCTION_WORDS.get(key) ?? 0;
    if (bits !== 1) FUNCTION_WORDS.set(key, bits | (1 << (k + 1)));
  }
});
/** Per sample: [English, any other language, then each language of OTHER_LATIN]. */
const functionWordCounts = new Int32Array(2 + OTHER_LATIN.length);

/** Counts per script over the sample; reused, since detection runs once per article. */
const counts = new Int32Array(9);
const NONE = 0;
const HAN = 1;
const KANA = 2;
const HANGUL = 3;
const CYRILLIC = 4;
const LATIN = 5;
const ARABIC = 6;
/** Cyrillic letters counted twice: as Cyrillic, and as proper to Russian or to another language. */
const RUSSIAN_ONLY = 7; // ы э
const OTHER_CYRILLIC = 8; // і ї є ґ ў ә ғ қ ң ө ұ ү һ ђ ј љ њ ћ џ ѓ ќ ѕ

/**
 * Code unit → script (low 4 bits) and Cyrillic subset (high 4 bits), so counting a sample is a
 * table read and an increment per unit rather than a chain of range tests.
 */
const SCRIPT = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) {
  let script = NONE;
  let subset = NONE;
  if (c < 0x80) script = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? LATIN : NONE;
  else if (c >= 0x400 && c <= 0x52f) {
    script = CYRILLIC;
    if (c === 0x44b || c === 0x42b || c === 0x44d || c === 0x42d) subset = RUSSIAN_ONLY;
    else if ((c >= 0x450 && c <= 0x45f && c !== 0x451) || (c >= 0x400 && c <= 0x40f && c !== 0x401) || c >= 0x490) subset = OTHER_CYRILLIC;
  } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) script = HAN;
  else if (c >= 0x3040 && c <= 0x30ff) script = KANA;
  else if (c >= 0xac00 && c <= 0xd7af) script = HANGUL;
  else if (c >= 0x600 && c <= 0x6ff) script = ARABIC;
  else if (c >= 0xc0 && c <= 0x24f) script = LATIN;
  SCRIPT[c] = script | (subset << 4);
}

function countScripts(s: string, limit: number): void {
  const n = Math.min(s.length, limit);
  for (let i = 0; i < n; i++) {
    const kind = SCRIPT[s.charCodeAt(i)];
    counts[kind & 15]++;
    if (kind > 15) counts[kind >> 4]++;
  }
}

/** Adds the function words among s[0, limit) to functionWordCounts. */
function countFunctionWords(s: string, limit: number): void {
  const n = Math.min(s.length, limit);
  let key = 0;
  let length = 0;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? latinCode(s.charCodeAt(i)) : 0;
    if (code !== 0) {
      if (++length <= LONGEST_FUNCTION_WORD) key = key * 64 + code;
      continue;
    }
    if (length > 0 && length <= LONGEST_FUNCTION_WORD) {
      const bits = FUNCTION_WORDS.get(key);
      if (bits === 1) functionWordCounts[0]++;
      else if (bits !== undefined) {
        functionWordCounts[1]++;
        for (let k = 0; k < OTHER_LATIN.length; k++) if ((bits & (1 << (k + 1))) !== 0) functionWordCounts[2 + k]++;
      }
    }
    key = 0;
    length = 0;
  }
}

/**
 * The other Latin-script language whose function words clearly dominate the sample's (at least
 * five, twice the next language's, three times the English ones), or null.
 */
function dominantOtherLanguage(): string | null {
  const en = functionWordCounts[0];
  let best = -1;
  let second = 0;
  for (let k = 0; k < OTHER_LATIN.length; k++) {
    const c = functionWordCounts[2 + k];
    if (best < 0 || c > functionWordCounts[2 + best]) {
      if (best >= 0) second = functionWordCounts[2 + best];
      best = k;
    } else if (c > second) second = c;
  }
  const top = functionWordCounts[2 + best];
  return top >= 5 && top >= second * 2 && top >= en * 3 ? OTHER_LATIN[best][0] : null;
}

export function detectLanguage(title: string, text = ''): string {
  // The sample is the title, a newline and the start of the text, SAMPLE units in all; it is
  // read in place and only built as a string for tinyld, which few articles reach.
  const fromText = Math.max(0, SAMPLE - title.length - 1);
  const sample = (): string => (title + '\n' + text).slice(0, SAMPLE);
  counts.fill(0);
  countScripts(title, SAMPLE);
  countScripts(text, fromText);
  const han = counts[HAN];
  const kana = counts[KANA];
  const hangul = counts[HANGUL];
  const cyrillic = counts[CYRILLIC];
  const latin = counts[LATIN];
  const arabic = counts[ARABIC];
  const letters = han + kana + hangul + cyrillic + latin + arabic;
  if (letters === 0) return 'und';
  if (kana > 0 && kana * 5 >= han) return 'ja';
  if (hangul * 2 > letters) return 'ko';
  // Chinese runs one character per word, so a third of the letters already means Chinese text.
  if (han * 3 >= letters) return 'zh';
  if (cyrillic * 2 > letters) {
    if (counts[OTHER_CYRILLIC] === 0 && (counts[RUSSIAN_ONLY] > 0 || cyrillic < 40)) return 'ru';
    return detect(sample(), { only: CYRILLIC_LANGUAGES }) || 'ru';
  }
  if (arabic * 2 > letters) return detect(sample(), { only: ['ar', 'fa', 'ur'] }) || 'ar';
  if (latin * 2 > letters) {
    functionWordCounts.fill(0);
    countFunctionWords(title, SAMPLE);
    countFunctionWords(text, fromText);
    const en = functionWordCounts[0];
    const other = functionWordCounts[1];
    if (en >= 3 && en >= other * 3) return 'en';
    if (en + other < 3 && Math.min(SAMPLE, title.length + 1 + text.length) < 80) return 'en';
    const dominant = dominantOtherLanguage();
    if (dominant) return dominant;
    return detect(sample(), { only: LATIN_LANGUAGES }) || 'en';
  }
  return detect(sample()) || 'und';
}
