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
/**
 * Packed function word → bit 0 English, bit k the k-th language of OTHER_LATIN (k from 1), in an
 * open-addressing table of typed arrays: a sample has a hundred short words to look up, and a Map
 * lookup costs several times a probe here.
 */
const SLOTS = 256;
const slotKey = new Int32Array(SLOTS); // 0: empty (a packed word is never 0)
const slotBits = new Int32Array(SLOTS);
function slotOf(key: number): number {
  let h = Math.imul(key, 0x9e3779b1) >>> 24;
  while (slotKey[h] !== 0 && slotKey[h] !== key) h = (h + 1) & (SLOTS - 1);
  return h;
}
const pack = (word: string): number => {
  if (word.length > LONGEST_FUNCTION_WORD) throw new Error(`function word "${word}" is longer than ${LONGEST_FUNCTION_WORD}`);
  let key = 0;
  for (let i = 0; i < word.length; i++) key = key * 64 + latinCode(word.charCodeAt(i));
  return key;
};
const addFunctionWord = (word: string, bit: number): void => {
  const h = slotOf(pack(word));
  slotKey[h] = pack(word);
  // A word that is English is counted as English only.
  if (slotBits[h] !== 1) slotBits[h] = bit === 1 ? 1 : slotBits[h] | bit;
};
for (const word of ENGLISH) addFunctionWord(word, 1);
OTHER_LATIN.forEach(([, words], k) => {
  for (const word of words) addFunctionWord(word, 1 << (k + 1));
});
/** Per sample: [English, any other language, then each language of OTHER_LATIN]. */
const functionWordCounts = new Int32Array(2 + OTHER_LATIN.length);

/** Counts per script over the sample; reused, since detection runs once per article. */
const CLASSES = 9;
const counts = new Int32Array(CLASSES);
const NONE = 0;
const HAN = 1;
const KANA = 2;
const HANGUL = 3;
const LATIN = 5;
const ARABIC = 6;
/** Cyrillic letters in three classes: proper to Russian, proper to another language, and common. */
const CYRILLIC = 4;
const RUSSIAN_ONLY = 7; // ы э
const OTHER_CYRILLIC = 8; // і ї є ґ ў ә ғ қ ң ө ұ ү һ ђ ј љ њ ћ џ ѓ ќ ѕ

/** Code unit → its class above, so counting a sample is a table read and an increment per unit. */
const SCRIPT = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) {
  let script = NONE;
  if (c < 0x80) script = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? LATIN : NONE;
  else if (c >= 0x400 && c <= 0x52f) {
    script = CYRILLIC;
    if (c === 0x44b || c === 0x42b || c === 0x44d || c === 0x42d) script = RUSSIAN_ONLY;
    else if ((c >= 0x450 && c <= 0x45f && c !== 0x451) || (c >= 0x400 && c <= 0x40f && c !== 0x401) || c >= 0x490) script = OTHER_CYRILLIC;
  } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) script = HAN;
  else if (c >= 0x3040 && c <= 0x30ff) script = KANA;
  else if (c >= 0xac00 && c <= 0xd7af) script = HANGUL;
  else if (c >= 0x600 && c <= 0x6ff) script = ARABIC;
  else if (c >= 0xc0 && c <= 0x24f) script = LATIN;
  SCRIPT[c] = script;
}

/** latinCode() of every Latin-1 unit (0 for the rest), read once per unit of a sample. */
const LATIN_CODE = Uint8Array.from({ length: 0x100 }, (_, c) => latinCode(c));

/**
 * The sample, as code units: the title, a newline and the start of the text, SAMPLE units at most
 * of each (Buffer#write copies them; a loop of String#charCodeAt would cost three times as much).
 */
const sampleBytes = Buffer.allocUnsafeSlow(4 * SAMPLE + 4);
const sampleUnits = new Uint16Array(sampleBytes.buffer, sampleBytes.byteOffset, 2 * SAMPLE + 2);
function readSample(title: string, text: string): number {
  const fromTitle = Math.min(title.length, SAMPLE);
  const fromText = Math.min(text.length, Math.max(0, SAMPLE - title.length - 1));
  sampleBytes.write(title, 0, fromTitle * 2, 'utf16le');
  sampleUnits[fromTitle] = 0x0a;
  sampleBytes.write(text, (fromTitle + 1) * 2, fromText * 2, 'utf16le');
  return fromTitle + 1 + fromText;
}

/**
 * Four rows of counts, one per unit position modulo four: an increment then rarely waits for the
 * one before it to the same count, as it does for every unit of a one-script sample in one row.
 */
const lanes = new Int32Array(4 * CLASSES);
function countScripts(n: number): void {
  lanes.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    lanes[SCRIPT[sampleUnits[i]]]++;
    lanes[CLASSES + SCRIPT[sampleUnits[i + 1]]]++;
    lanes[2 * CLASSES + SCRIPT[sampleUnits[i + 2]]]++;
    lanes[3 * CLASSES + SCRIPT[sampleUnits[i + 3]]]++;
  }
  for (; i < n; i++) lanes[SCRIPT[sampleUnits[i]]]++;
  for (let k = 0; k < CLASSES; k++) counts[k] = lanes[k] + lanes[CLASSES + k] + lanes[2 * CLASSES + k] + lanes[3 * CLASSES + k];
}

/** Counts the function words of the sample's n units into functionWordCounts. */
function countFunctionWords(n: number): void {
  let key = 0;
  let length = 0;
  for (let i = 0; i <= n; i++) {
    const c = sampleUnits[i];
    const code = i < n && c < 0x100 ? LATIN_CODE[c] : 0;
    if (code !== 0) {
      if (++length <= LONGEST_FUNCTION_WORD) key = key * 64 + code;
      continue;
    }
    if (length > 0 && length <= LONGEST_FUNCTION_WORD) {
      const h = slotOf(key);
      const bits = slotKey[h] === key ? slotBits[h] : 0;
      if (bits === 1) functionWordCounts[0]++;
      else if (bits !== 0) {
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
  // counted as code units and only built as a string for tinyld, which few articles reach.
  const n = readSample(title, text);
  const sample = (): string => (title + '\n' + text).slice(0, SAMPLE);
  countScripts(n);
  const han = counts[HAN];
  const kana = counts[KANA];
  const hangul = counts[HANGUL];
  const cyrillic = counts[CYRILLIC] + counts[RUSSIAN_ONLY] + counts[OTHER_CYRILLIC];
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
    countFunctionWords(n);
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
