/**
 * Normalises a title or body into the form the term trie matches against, and remembers where each
 * normalised code unit came from so that evidence offsets point into the original string.
 *
 * Normal form: NFKC, lower case, ё→е, traditional Chinese characters as simplified (緝毒 → 缉毒; see
 * libs/text simplified-chinese.ts), every run of whitespace or hyphen-like dashes becomes one
 * space, and each Russian (Cyrillic) word loses its inflectional ending (see russian-endings.ts), so
 * "наркотиков", "наркотикам" and "наркотики" all read "наркотик".
 *
 * Hand-written rather than libs/text's analyser (search and subscriptions) because that one keeps
 * no map from folded code units back to the original and, measured, analyses some 6,500 articles/s
 * of 2,500 characters, where the classifier's bench must stay at 20,000 or more. The folding itself is shared: the
 * per-code-unit tables below are built once from foldLetters (libs/text), so the classifier folds
 * exactly as search and subscriptions do, and a 2,000-character article folds in a few µs.
 */
import { foldLetters, simplifiedHanTable } from '@monitor/text';
import { createBitset, inBitset } from './bitset';
import { russianEndingLength } from './russian-endings';
import { SENTENCE_BREAK, isSentenceSpace } from './sentence-spans';

const SLOW = 0xffff;
/** Code unit → its simplified Chinese form (itself for all but traditional characters). */
const SIMPLIFIED = simplifiedHanTable();
/** code unit → its folded code unit, or SLOW when NFKC/lower-casing expands it to several units. */
const FOLD = new Uint16Array(0x10000);
/** 1 = letter or digit of a spaced script (Latin, Cyrillic, Greek, Arabic…), 2 = Cyrillic letter. */
const WORD = new Uint8Array(0x10000);

const SPACE = 0x20;
const wordRe = /[\p{L}\p{N}]/u;
const unspacedScriptRe = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}]/u;
const cyrillicRe = /\p{Script=Cyrillic}/u;
const dashRe = /[\p{Pd}\u00ad]/u;
const spaceRe = /\s/u;

for (let c = 0; c < 0x10000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) {
    FOLD[c] = c;
    continue;
  }
  const ch = String.fromCharCode(c);
  if (spaceRe.test(ch) || dashRe.test(ch)) {
    FOLD[c] = SPACE;
    continue;
  }
  const folded = foldLetters(ch);
  FOLD[c] = folded.length === 1 ? SIMPLIFIED[folded.charCodeAt(0)] : SLOW;
  if (wordRe.test(ch) && !unspacedScriptRe.test(ch)) WORD[c] = cyrillicRe.test(ch) ? 2 : 1;
}

// Everything fill() asks of a code unit, in one table read: its folded unit, the word class of that
// unit, whether it may end a sentence, and the two rare cases (expands or combines under NFKC;
// a letter of a script written without spaces). Three separate tables cost three reads, one of
// them dependent on another, for every character of every article.
const INFO = new Int32Array(0x10000);
const WORD_SHIFT = 16;
const BREAK_SHIFT = 18;
const INFO_SLOW = 1 << 20;
const INFO_UNSPACED = 1 << 21;
/** Set for a unit of a spaced-script word; INFO_CYRILLIC for a Cyrillic one (WORD = 2). */
const INFO_WORD = 3 << WORD_SHIFT;
const INFO_CYRILLIC = 2 << WORD_SHIFT;
for (let c = 0; c < 0x10000; c++) {
  const f = FOLD[c];
  if (f === SLOW || (c >= 0x300 && c <= 0x36f)) {
    INFO[c] = INFO_SLOW;
    continue;
  }
  const ch = String.fromCharCode(f);
  const unspaced = f < 0xd800 || f > 0xdfff ? wordRe.test(ch) && unspacedScriptRe.test(ch) : false;
  INFO[c] = f | (WORD[f] << WORD_SHIFT) | (SENTENCE_BREAK[c] << BREAK_SHIFT) | (unspaced ? INFO_UNSPACED : 0);
}
// The CJK Unified Ideographs (U+4E00–U+9FFF) fold to their simplified form and are letters of an
// unspaced script. fill() answers them from a table of their own, two bytes an entry, rather than
// INFO's four: a Chinese article has a thousand distinct characters, each a cache line of INFO.
const HAN_FIRST = 0x4e00;
const HAN_SPAN = 0x9fff - HAN_FIRST;
const HAN_FOLD = SIMPLIFIED.slice(HAN_FIRST, HAN_FIRST + HAN_SPAN + 1);
/** Where the simplified forms of those characters begin: a few dozen are in Extension A (U+3400–U+4DBF). */
const FOLDED_HAN_FIRST = 0x3400;
for (let c = HAN_FIRST; c <= HAN_FIRST + HAN_SPAN; c++) {
  const f = HAN_FOLD[c - HAN_FIRST];
  if (INFO[c] !== (f | INFO_UNSPACED) || (f - FOLDED_HAN_FIRST) >>> 0 > HAN_FIRST + HAN_SPAN - FOLDED_HAN_FIRST) {
    throw new Error(`unreachable: U+${c.toString(16)} does not fold to a simplified form between U+3400 and U+9FFF`);
  }
}
/** In a HanStarts entry: set when the folded character begins some term. */
const HAN_STARTS_TERM = 0x8000;

/**
 * Per CJK Unified Ideograph, its simplified form's offset from FOLDED_HAN_FIRST (15 bits: they span
 * 0x6C00) and HAN_STARTS_TERM when that form begins a term: one read per character instead of the
 * fold, then a bitset, each read waiting for the one before.
 */
function hanStarts(termFirstUnits: Int32Array): Uint16Array {
  const table = new Uint16Array(HAN_SPAN + 1);
  for (let k = 0; k <= HAN_SPAN; k++) {
    const f = HAN_FOLD[k];
    table[k] = (f - FOLDED_HAN_FIRST) | (inBitset(termFirstUnits, f) ? HAN_STARTS_TERM : 0);
  }
  return table;
}
// Combining marks (U+0300–U+036F) compose with the letter before them under NFKC ("и"+U+0306 → "й").
const isCombining = (c: number): boolean => c >= 0x300 && c <= 0x36f;

/** True for a letter of a script written without spaces between words (Chinese, Japanese, Thai…). */
export function isUnspacedLetter(c: number): boolean {
  return (INFO[c] & INFO_UNSPACED) !== 0;
}

/**
 * True for a code unit that belongs to a word of a spaced script (where word boundaries apply).
 * Chinese characters are answered without the table, whose entries for them would be a cache
 * miss each (see HAN_FIRST).
 */
export function isWordUnit(c: number): boolean {
  return (c - HAN_FIRST) >>> 0 > HAN_SPAN && WORD[c] !== 0;
}

export interface MatchText {
  /** Normalised code units; only the first `length` are valid. */
  units: Uint16Array;
  length: number;
  /** The original offsets where normalised unit p starts and where it ends. */
  originalStart(p: number): number;
  originalEnd(p: number): number;
}

/** Every code unit: the default for termFirstUnits. */
const ANY_UNIT = createBitset(0x10000).fill(-1);

/** A reusable buffer: one per classifier, so classifying allocates no per-article typed arrays. */
export class MatchTextBuffer implements MatchText {
  /**
   * @param termFirstUnits bitset of the units some term begins with: a Chinese character that
   *   begins none is not listed in `starts` (most characters of a Chinese article begin none, and
   *   the normaliser reads each anyway, where a scan would read them all once more).
   */
  constructor(termFirstUnits: Int32Array = ANY_UNIT) {
    this.hanStarts = hanStarts(termFirstUnits);
  }

  private readonly hanStarts: Uint16Array;

  units = new Uint16Array(4096);
  length = 0;
  /**
   * Original offsets: where each normalised unit starts (fill() writes it at word edges only) and
   * where it ends (written by fillGeneral only); read them through originalStart/End.
   */
  private origStart = new Int32Array(4096);
  private origEnd = new Int32Array(4096);
  /** Where the sentences of the last filled text begin (original offsets); see sentence-spans.ts. */
  sentenceStarts = new Int32Array(256);
  sentenceCount = 1;
  /**
   * Where a term may start (normalised offsets, ascending): where each word of a spaced script
   * begins, and each Chinese character that begins some term (see the constructor).
   */
  starts = new Int32Array(4096);
  startCount = 0;
  /**
   * Whether `starts` lists every such position. It does not when the text holds letters of other
   * scripts written without spaces (Japanese kana, Thai…) or took the general path: a scan then
   * tries every position.
   */
  startsComplete = true;
  /** Letters of scripts written without spaces (Chinese, Japanese, Thai…) in the last filled text. */
  unspacedLetters = 0;

  /**
   * The field's code units, copied by Buffer#write: the normaliser then reads a typed array. A
   * loop of String#charCodeAt costs three times as much here, since every call re-checks how the
   * string is stored.
   */
  private raw = Buffer.allocUnsafeSlow(8192);
  private rawUnits = new Uint16Array(this.raw.buffer, this.raw.byteOffset, 4096);
  private rawLength = 0;
  /** Whether origEnd holds the ends (fillGeneral) or they follow from origStart (fill). */
  private endsRecorded = false;

  private codeUnits(text: string): Uint16Array {
    if (text.length >= this.rawUnits.length) {
      this.raw = Buffer.allocUnsafeSlow(text.length * 4);
      this.rawUnits = new Uint16Array(this.raw.buffer, this.raw.byteOffset, text.length * 2);
    }
    // utf16le copies the string's code units as they are, lone surrogates included.
    this.raw.write(text, 0, text.length * 2, 'utf16le');
    // A unit that is no part of a word after the last: the word loop of fill() needs no bounds test.
    this.rawUnits[text.length] = 0;
    this.rawLength = text.length;
    return this.rawUnits;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.units.length) return;
    let size = this.units.length;
    while (size < capacity) size *= 2;
    const units = new Uint16Array(size);
    units.set(this.units);
    const s = new Int32Array(size);
    s.set(this.origStart);
    const e = new Int32Array(size);
    e.set(this.origEnd);
    this.units = units;
    this.origStart = s;
    this.origEnd = e;
    this.starts = new Int32Array(size);
  }

  /** Records that a sentence ends at unit i of text (so the next one starts at i + 1). */
  private sentenceBreak(text: string, i: number, kind: number): void {
    if (i + 1 >= text.length || (kind === 2 && !isSentenceSpace(text.charCodeAt(i + 1)))) return;
    if (this.sentenceCount === this.sentenceStarts.length) {
      const grown = new Int32Array(this.sentenceStarts.length * 2);
      grown.set(this.sentenceStarts);
      this.sentenceStarts = grown;
    }
    this.sentenceStarts[this.sentenceCount++] = i + 1;
  }

  /**
   * Folds `text` into this buffer. `stemLastWord: false` keeps the last Cyrillic word whole, for a
   * taxonomy term written as a prefix ("наркот*").
   */
  fill(text: string, stemLastWord = true): this {
    const n = text.length;
    this.ensure(n * 3 + 8);
    const units = this.units;
    const os = this.origStart;
    const starts = this.starts;
    const hanStarts = this.hanStarts;
    let startCount = 0;
    let unspaced = 0;
    let han = 0;
    let len = 0;
    this.sentenceCount = 1;
    this.endsRecorded = false;
    // The common case, kept free of the rare paths so the loops stay small: every unit folds to
    // one unit. A unit that expands under NFKC ("…" → "...") or a combining mark sends the whole
    // field to fillGeneral, which handles them. Run by run: a word's units in the inner loop,
    // which tests one bit per unit, and what lies between words one unit at a time. Where a word's
    // inner units start and end in the original follows from its edges (originalStart/End).
    const source = this.codeUnits(text);
    let i = 0;
    while (i < n) {
      let c = source[i];
      if ((c - HAN_FIRST) >>> 0 <= HAN_SPAN) {
        // A run of Chinese characters: each folds to its simplified form, and is no word, break or space.
        const first = i;
        do {
          const h = hanStarts[c - HAN_FIRST];
          // Written always and kept only where a term may start: whether a character begins one
          // follows no pattern a branch predictor could learn.
          starts[startCount] = len;
          startCount += h >>> 15; // HAN_STARTS_TERM (bit 15), as 0 or 1
          units[len] = (h & ~HAN_STARTS_TERM) + FOLDED_HAN_FIRST;
          os[len++] = i;
          c = source[++i];
        } while ((c - HAN_FIRST) >>> 0 <= HAN_SPAN);
        han += i - first;
        continue;
      }
      let info = INFO[c];
      if ((info & INFO_WORD) !== 0) {
        const wordStart = len;
        starts[startCount++] = len;
        // Only the word's first and last units record where they start: the others follow one for one.
        os[len] = i;
        let cyrillic = INFO_CYRILLIC;
        do {
          units[len++] = info; // the low 16 bits: the folded unit
          cyrillic &= info;
          c = source[++i];
          info = INFO[c];
        } while ((info & INFO_WORD) !== 0);
        if (cyrillic !== 0 && (i < n || stemLastWord)) len -= russianEndingLength(units, wordStart, len);
        // And its last unit, where a term that ends on this word ends (see originalStart).
        os[len - 1] = os[wordStart] + (len - 1 - wordStart);
        continue;
      }
      if ((info & INFO_SLOW) !== 0) return this.fillGeneral(text, stemLastWord);
      const b = (info >> BREAK_SHIFT) & 3;
      if (b !== 0) this.sentenceBreak(text, i, b);
      const f = info & 0xffff;
      if (f === SPACE && (len === 0 || units[len - 1] === SPACE)) {
        i++;
        continue;
      }
      if ((info & INFO_UNSPACED) !== 0) unspaced++;
      units[len] = f;
      os[len++] = i++;
    }
    this.length = len;
    this.startCount = startCount;
    this.unspacedLetters = han + unspaced;
    this.startsComplete = unspaced === 0;
    return this;
  }

  /** The original offset where normalised unit p of the last filled text starts. */
  originalStart(p: number): number {
    if (this.endsRecorded) return this.origStart[p];
    // fill() records where each unit outside words starts, and a word's first and last units; the
    // word's other units map one for one onto the original's.
    const units = this.units;
    if (!isWordUnit(units[p]) || p + 1 === this.length || !isWordUnit(units[p + 1])) return this.origStart[p];
    let first = p;
    while (first > 0 && isWordUnit(units[first - 1])) first--;
    return this.origStart[first] + (p - first);
  }

  /**
   * The original offset where normalised unit p of the last filled text ends. A unit ends after
   * the original unit it came from, except the last unit left of a Russian word whose ending was
   * stripped: it ends where the word does, so that evidence shows the whole word.
   */
  originalEnd(p: number): number {
    if (this.endsRecorded) return this.origEnd[p];
    let end = this.originalStart(p) + 1;
    const units = this.units;
    if (isWordUnit(units[p]) && (p + 1 === this.length || !isWordUnit(units[p + 1]))) {
      const source = this.rawUnits;
      const n = this.rawLength;
      while (end < n && (INFO[source[end]] & INFO_WORD) !== 0) end++;
    }
    return end;
  }

  /** fill() for fields with units that expand under NFKC or combine with the one before. */
  private fillGeneral(text: string, stemLastWord: boolean): this {
    const n = text.length;
    const units = this.units;
    const os = this.origStart;
    const oe = this.origEnd;
    const starts = this.starts;
    let startCount = 0;
    let unspaced = 0;
    let len = 0;
    let wordStart = -1; // output index where the current word began, -1 between words
    let wordCyrillic = true;
    this.sentenceCount = 1;
    this.endsRecorded = true;

    // A word ends at i (exclusive): strip its Russian ending. Inlined twice below rather than a
    // closure, which would move `len` off the stack in the hot loop.
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : SPACE;
      if (i < n && SENTENCE_BREAK[c] !== 0) this.sentenceBreak(text, i, SENTENCE_BREAK[c]);
      const f = FOLD[c];
      if (f === SLOW || (isCombining(c) && i > 0)) {
        const expanded = isCombining(c) ? (text[i - 1] + text[i]).normalize('NFKC').toLowerCase() : text[i].normalize('NFKC').toLowerCase();
        if (isCombining(c)) {
          // The mark composes with the letter before it ("и" + U+0306 → "й"); otherwise it is dropped.
          if (expanded.length === 1 && len > 0) {
            units[len - 1] = expanded === 'ё' ? 0x435 : expanded.charCodeAt(0);
            oe[len - 1] = i + 1;
          }
          continue;
        }
        for (let k = 0; k < expanded.length; k++) {
          const g = expanded.charCodeAt(k);
          if (WORD[g] === 0) {
            if (wordStart >= 0 && wordCyrillic) {
              const strip = russianEndingLength(units, wordStart, len);
              if (strip > 0) {
                const wordEnd = oe[len - 1];
                len -= strip;
                oe[len - 1] = wordEnd;
              }
            }
            wordStart = -1;
            wordCyrillic = true;
            if ((INFO[g] & INFO_UNSPACED) !== 0) unspaced++;
          } else {
            if (wordStart < 0) {
              wordStart = len;
              starts[startCount++] = len;
            }
            if (WORD[g] !== 2) wordCyrillic = false;
          }
          units[len] = g;
          os[len] = i;
          oe[len] = i + 1;
          len++;
        }
        continue;
      }
      const w = WORD[f];
      if (w === 0) {
        if (wordStart >= 0) {
          if (wordCyrillic && (i < n || stemLastWord)) {
            const strip = russianEndingLength(units, wordStart, len);
            if (strip > 0) {
              const wordEnd = oe[len - 1];
              len -= strip;
              oe[len - 1] = wordEnd;
            }
          }
          wordStart = -1;
          wordCyrillic = true;
        }
        if (i === n) break;
        if (f === SPACE && (len === 0 || units[len - 1] === SPACE)) continue;
        if ((INFO[f] & INFO_UNSPACED) !== 0) unspaced++;
      } else {
        if (wordStart < 0) {
          wordStart = len;
          starts[startCount++] = len;
        }
        if (w !== 2) wordCyrillic = false;
      }
      units[len] = f;
      os[len] = i;
      oe[len] = i + 1;
      len++;
    }
    this.length = len;
    this.startCount = startCount;
    this.unspacedLetters = unspaced;
    // Word starts only: the letters of unspaced scripts are left to the scan.
    this.startsComplete = unspaced === 0;
    return this;
  }

  toString(): string {
    let s = '';
    for (let i = 0; i < this.length; i += 4096) {
      s += String.fromCharCode(...this.units.subarray(i, Math.min(this.length, i + 4096)));
    }
    return s;
  }
}

/** The normal form of a taxonomy term, as a string (trimmed; a trailing "*" keeps the last word whole). */
const termBuffer = new MatchTextBuffer();
export function normaliseTerm(term: string, prefix: boolean): string {
  return termBuffer.fill(term, !prefix).toString().trim();
}

// Feedback for every path of fill() before the JIT optimises it, which would otherwise happen
// while the taxonomy's terms are normalised (short strings, no sentence breaks): optimised on those,
// fill() is thrown out at the first article and rebuilt on-stack only, about 1.7 times slower for
// the rest of the process on one start in two. The classifier warms the rest (article-classifier.ts).
const WARM_UP = 'Illicit drug trafficking, 12.5 tonnes. Незаконный оборот наркотиков! 禁毒合作。 «ёлка» —\nend';
for (let i = 0; i < 50; i++) termBuffer.fill(WARM_UP);
