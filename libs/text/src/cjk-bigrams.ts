/**
 * Chinese, Japanese and Korean are written without spaces between words, and the Elasticsearch we
 * can run has no analyser that segments them (only `standard`, which splits them into single
 * characters). So a run of such characters is indexed as overlapping bigrams (禁毒合作 -> 禁毒 毒合
 * 合作): a two-character word is then one term found inside any sentence, a longer word a phrase of
 * its bigrams. A lone character is its own term; the single characters of longer runs are indexed
 * too, after the main stream, so that a one-character query still finds them without breaking the
 * adjacency of bigram phrases. Traditional characters are indexed as simplified (simplified-chinese.ts),
 * so 緝毒 and 缉毒 are one term to search, to subscriptions and to the classifier alike.
 */
import { toSimplifiedChinese } from './simplified-chinese';

export const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const CJK = new RegExp(`[${CJK_CLASS}]`, 'u');

/** True when the string holds a Chinese, Japanese or Korean character. */
export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

export interface CjkTerm {
  term: string;
  /** Offsets in the run (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
}

/**
 * The terms of one run of CJK characters: `bigrams` for the main stream (the character itself for
 * a one-character run), `singles` for the characters of a longer run. Each character is taken in
 * its NFKC form, so compatibility ideographs fold to the unified ones; offsets are of the original
 * (a character outside the BMP counts two code units).
 */
export function cjkTerms(run: string): { bigrams: CjkTerm[]; singles: CjkTerm[] } {
  const chars: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  const normalized = isNfkc(run);
  for (const ch of run) {
    chars.push(toSimplifiedChinese(normalized ? ch : ch.normalize('NFKC')));
    offsets.push(at);
    at += ch.length;
  }
  offsets.push(at);
  if (chars.length === 1) return { bigrams: [{ term: chars[0], start: 0, end: at }], singles: [] };
  const bigrams: CjkTerm[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push({ term: chars[i] + chars[i + 1], start: offsets[i], end: offsets[i + 2] });
  const singles = chars.map((term, i) => ({ term, start: offsets[i], end: offsets[i + 1] }));
  return { bigrams, singles };
}

/**
 * A run already in NFKC (nearly every one) has each of its characters in NFKC too, so one call for
 * the run spares one per character, which was most of the cost of indexing Chinese.
 */
function isNfkc(run: string): boolean {
  return run.normalize('NFKC') === run;
}

/**
 * cjkTerms as an index stores them, space-separated and without offsets: the indexer's path, which
 * makes no object per character.
 */
export function cjkIndexTerms(run: string): { bigrams: string; singles: string } {
  const chars = Array.from(toSimplifiedChinese(run));
  if (!isNfkc(run)) for (let i = 0; i < chars.length; i++) chars[i] = toSimplifiedChinese(chars[i].normalize('NFKC'));
  if (chars.length === 1) return { bigrams: chars[0], singles: '' };
  const bigrams = new Array<string>(chars.length - 1);
  for (let i = 0; i + 1 < chars.length; i++) bigrams[i] = chars[i] + chars[i + 1];
  return { bigrams: bigrams.join(' '), singles: chars.join(' ') };
}
