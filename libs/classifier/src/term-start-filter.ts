/**
 * Tells, from the first three units at a position of a normalised text, whether some term may
 * start there, so that the scanner walks the term trie only from those positions.
 *
 * Most words of an article start no term ("the", "of", "который"), and a trie walk reads its
 * tables one dependent step after another before it finds that out. Here the three units are read
 * side by side and a few bits answer: whether some term starts with the first unit (in Chinese
 * text most characters start none), whether a term shorter than three units does, and else
 * whether the three units begin some term, from a set of the terms' three-unit beginnings hashed
 * into 2^16 bits (8 KB; about 1,000 beginnings set some 2% of them, the share of words walked for
 * nothing). A "maybe" costs a walk; there is never a false "no", which term-scanner.spec.ts checks
 * against a brute-force search.
 */
import { addToBitset, createBitset, inBitset } from './bitset';

const BITS = 16;

/** Bucket of a three-unit beginning. */
function bucket(u0: number, u1: number, u2: number): number {
  return Math.imul(u0 ^ Math.imul(u1, 0x45d9f3b) ^ Math.imul(u2, 0x119de1f3), 0x9e3779b1) >>> (32 - BITS);
}

export class TermStartFilter {
  private readonly beginnings = createBitset(1 << BITS);
  /** Some term starts with unit u. */
  readonly firstUnits = createBitset(0x10000);
  /** u is the first unit of a term shorter than three units. */
  private readonly shortStart = createBitset(0x10000);

  constructor(terms: readonly string[]) {
    for (const t of terms) {
      if (t.length === 0) continue;
      addToBitset(this.firstUnits, t.charCodeAt(0));
      if (t.length < 3) addToBitset(this.shortStart, t.charCodeAt(0));
      else addToBitset(this.beginnings, bucket(t.charCodeAt(0), t.charCodeAt(1), t.charCodeAt(2)));
    }
  }

  /** False when no term starts at `at` of units[0, length); true when one may. */
  mayStart(units: Uint16Array, length: number, at: number): boolean {
    const u0 = units[at];
    if (!inBitset(this.firstUnits, u0)) return false;
    if (inBitset(this.shortStart, u0) || at + 2 >= length) return true;
    return inBitset(this.beginnings, bucket(u0, units[at + 1], units[at + 2]));
  }
}
