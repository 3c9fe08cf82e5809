/**
 * Sentence boundaries of a plain-text body, and how list-like each sentence is. The classifier uses
 * them for two readings an analyst makes: the lead sentence says what an article is about, and a
 * term inside an enumeration of threats ("terrorism, extremism, drug trafficking and organised
 * crime") is a passing mention.
 */
const FULL_STOP = 0x2e;

function isTerminator(c: number): boolean {
  // ! ? newline, and the CJK full stop, exclamation and question mark (a semicolon separates list items)
  return c === 0x21 || c === 0x3f || c === 0x0a || c === 0x3002 || c === 0xff01 || c === 0xff1f;
}

function isSeparator(c: number): boolean {
  // , ， 、 ; ；
  return c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x3b || c === 0xff1b;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
}

export class SentenceSpans {
  /** Start offset of each sentence, ascending; sentence k spans starts[k]..starts[k+1]. */
  readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      // A full stop ends a sentence only before a space (not in "1.5" or "U.N.O").
      if (isTerminator(c) || (c === FULL_STOP && (i + 1 === n || isSpace(text.charCodeAt(i + 1))))) {
        if (i + 1 < n) this.starts.push(i + 1);
      }
    }
  }

  /** Index of the sentence containing `offset`. */
  indexOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the first sentence that has any text (bodies sometimes open with blank lines). */
  leadIndex(): number {
    for (let k = 0; k < this.starts.length; k++) {
      const end = k + 1 < this.starts.length ? this.starts[k + 1] : this.text.length;
      for (let i = this.starts[k]; i < end; i++) if (!isSpace(this.text.charCodeAt(i))) return k;
    }
    return 0;
  }

  /** Number of list separators (commas, 、, semicolons) inside sentence k. */
  separators(k: number): number {
    const end = k + 1 < this.starts.length ? this.starts[k + 1] : this.text.length;
    let count = 0;
    for (let i = this.starts[k]; i < end; i++) if (isSeparator(this.text.charCodeAt(i))) count++;
    return count;
  }
}
