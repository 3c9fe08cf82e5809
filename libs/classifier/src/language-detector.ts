/**
 * Language of an article, as an ISO 639-1 code ('und' when there is no text to tell).
 *
 * The statistical decision is `tinyld`'s. Two things are decided before it, for cause:
 * - Script first. Han without kana is Chinese, kana is Japanese, Hangul Korean; Cyrillic text with
 *   "ы" or "э" and none of the letters proper to Ukrainian, Belarusian, Kazakh, Kyrgyz, Serbian or
 *   Macedonian is Russian. tinyld gets these wrong on short strings ("Наркотики" → uk) and needs
 *   ~300 µs for 160 characters, ten times the classifier's whole per-article budget.
 * - For Latin script, a check of English function words: most announcements the monitor reads are
 *   English, and tinyld errs on short English text ("Drug seizure at the border" → da). When the
 *   function words are not clearly English, tinyld decides among the Latin-script languages.
 */
import { detect } from 'tinyld';

const CYRILLIC_LANGUAGES = ['ru', 'uk', 'be', 'kk', 'ky', 'sr', 'mk', 'bg', 'tg', 'mn'];
const LATIN_LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl', 'tr', 'uz', 'id', 'vi', 'pl', 'ro', 'cs', 'sv'];
const SAMPLE = 600;

const ENGLISH = new Set(['the', 'of', 'and', 'to', 'in', 'on', 'for', 'with', 'is', 'was', 'by', 'that', 'from', 'at', 'has', 'are', 'were', 'its', 'this', 'be', 'have']);
const OTHER_LATIN = new Set(['le', 'la', 'les', 'des', 'du', 'et', 'est', 'dans', 'pour', 'une', 'el', 'los', 'las', 'del', 'y', 'que', 'por', 'con', 'una', 'der', 'die', 'das', 'und', 'ist', 'mit', 'von', 'den', 'não', 'em', 'com', 'il', 'di', 'che', 'per', 'een', 'het', 'van', 've', 'bir', 'bu', 'dan', 'yang']);

const LONGEST_FUNCTION_WORD = Math.max(...[...ENGLISH, ...OTHER_LATIN].map((w) => w.length));

export function detectLanguage(title: string, text = ''): string {
  const sample = (title + '\n' + text).slice(0, SAMPLE);
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let cyrillic = 0;
  let latin = 0;
  let arabic = 0;
  let russianOnly = 0; // ы э
  let otherCyrillic = 0; // і ї є ґ ў ә ғ қ ң ө ұ ү һ ђ ј љ њ ћ џ ѓ ќ ѕ
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) latin++;
    } else if (c >= 0x400 && c <= 0x52f) {
      cyrillic++;
      if (c === 0x44b || c === 0x42b || c === 0x44d || c === 0x42d) russianOnly++;
      else if ((c >= 0x450 && c <= 0x45f && c !== 0x451) || (c >= 0x400 && c <= 0x40f && c !== 0x401) || c >= 0x490) otherCyrillic++;
    } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) han++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0xac00 && c <= 0xd7af) hangul++;
    else if (c >= 0x600 && c <= 0x6ff) arabic++;
    else if (c >= 0xc0 && c <= 0x24f) latin++;
  }
  const letters = han + kana + hangul + cyrillic + latin + arabic;
  if (letters === 0) return 'und';
  if (kana > 0 && kana * 5 >= han) return 'ja';
  if (hangul * 2 > letters) return 'ko';
  // Chinese runs one character per word, so a third of the letters already means Chinese text.
  if (han * 3 >= letters) return 'zh';
  if (cyrillic * 2 > letters) {
    if (otherCyrillic === 0 && (russianOnly > 0 || cyrillic < 40)) return 'ru';
    return detect(sample, { only: CYRILLIC_LANGUAGES }) || 'ru';
  }
  if (arabic * 2 > letters) return detect(sample, { only: ['ar', 'fa', 'ur'] }) || 'ar';
  if (latin * 2 > letters) {
    let en = 0;
    let other = 0;
    // Words are runs of a–z and à–ÿ; only words as short as the listed ones are looked up, so a
    // sample costs a handful of short strings instead of one per word.
    const lower = sample.toLowerCase();
    let from = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 0;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0xe0 && c <= 0xff)) {
        if (from < 0) from = i;
        continue;
      }
      if (from >= 0 && i - from <= LONGEST_FUNCTION_WORD) {
        const word = lower.slice(from, i);
        if (ENGLISH.has(word)) en++;
        else if (OTHER_LATIN.has(word)) other++;
      }
      from = -1;
    }
    if (en >= 3 && en >= other * 3) return 'en';
    if (en + other < 3 && sample.length < 80) return 'en';
    return detect(sample, { only: LATIN_LANGUAGES }) || 'en';
  }
  return detect(sample) || 'und';
}
