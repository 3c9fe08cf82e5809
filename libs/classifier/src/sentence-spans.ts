/**
 * Sentence boundaries of a plain-text body, and how list-like a sentence is. The classifier uses
 * them for two readings an analyst makes: the lead sentence says what an article is about, and a
 * term inside an enumeration of threats ("terrorism, extremism, drug trafficking and organised
 * crime") is a passing mention.
 *
 * The boundaries are found while the body is folded for matching (match-text.ts reads every code
 * unit anyway), so a sentence start costs one table read per unit; these functions answer the
 * questions about them.
 */

/** Per code unit: 1 = ends a sentence (! ? newline, CJK 。！？), 2 = full stop (ends one before a space). */
export const SENTENCE_BREAK = new Uint8Array(0x10000);
for (const c of [0x21, 0x3f, 0x0a, 0x3002, 0xff01, 0xff1f]) SENTENCE_BREAK[c] = 1;
SENTENCE_BREAK[0x2e] = 2;

/** Spaces after which a full stop ends a sentence (not in "1.5" or "U.N.O"). */
export function isSentenceSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
}

/** , ， 、 ; ； (a semicolon separates list items, it does not end a sentence) */
export function isListSeparator(c: number): boolean {
  return c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x3b || c === 0xff1b;
}

/**
 * The sentences of one field: `starts[0..count)` ascending, starts[0] = 0; sentence k spans
 * starts[k]..starts[k+1] (the last one to the end of the text).
 */
export class SentenceSpans {
  constructor(
    private readonly text: string,
    private readonly starts: Int32Array,
    readonly count: number,
  ) {}

  /** Index of the sentence containing `offset`. */
  indexOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * indexOf(offset), searched from sentence `near` outwards: the classifier asks for hits in
   * reading order, each one in or just after the sentence of the one before.
   */
  indexNear(offset: number, near: number): number {
    const s = this.starts;
    let k = near;
    while (k + 1 < this.count && s[k + 1] <= offset) k++;
    while (k > 0 && s[k] > offset) k--;
    return k;
  }

  /** Index of the first sentence that has any text (bodies sometimes open with blank lines). */
  leadIndex(): number {
    const text = this.text;
    for (let i = 0; i < text.length; i++) if (!isSentenceSpace(text.charCodeAt(i))) return this.indexOf(i);
    return 0;
  }

  /** Number of list separators (commas, 、, semicolons) inside sentence k. */
  separators(k: number): number {
    const end = k + 1 < this.count ? this.starts[k + 1] : this.text.length;
    let count = 0;
    for (let i = this.starts[k]; i < end; i++) if (isListSeparator(this.text.charCodeAt(i))) count++;
    return count;
  }
}
