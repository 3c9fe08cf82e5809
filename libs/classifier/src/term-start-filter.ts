/**
 * Tells, from the first units at a position of a normalised text, whether some term may start
 * there, so that the scanner walks the term trie only from those positions.
 *
 * Most words of an article start no term ("the", "delegations", "который"), and a trie walk reads
 * its tables one dependent step after another before it finds that out. Here the units are read
 * side by side and a few bits answer, level by level:
 * - whether some term starts with the first unit (in Chinese text most characters start none);
 * - else, for each length L of 2, 3 and 6 units, whether the text's first L units begin some term of L
 *   units or more, from a set of those beginnings hashed into 2^15 buckets (some 1,000 to 1,500
 *   beginnings a level set one bucket in twenty: the share of answers that are "maybe" for
 *   nothing); a term shorter than the next level that the beginning so far spells in full ends
 *   the questions with "maybe". Both answers of a bucket sit in two adjacent bits, one read, and
 *   the three levels take 24 KB, which stays in the processor's first-level cache with the rest.
 * The levels are 2, 3 and 6 units. Two tell most Chinese characters apart, where a two-character
 * term ("毒品", "禁毒") is common and three could not be asked; six tell apart the English and
 * Russian words that share their first three letters with a term ("delegations" and
 * "deliveries", "meeting" and "methamphetamine"), which were most of the walks that found nothing.
 * A "maybe" costs a walk; there is never a false "no", which term-scanner.spec.ts checks against
 * a brute-force search.
 */
import { addToBitset, createBitset, inBitset } from './bitset';

const BITS = 15;

/** Hash state after one more unit (FNV-1a's step, on 16-bit units). */
function step(h: number, u: number): number {
  return Math.imul(h ^ u, 0x01000193);
}

/** Bucket of a hash state. */
function bucket(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x9e3779b1) >>> (32 - BITS);
}

const SEED = 0x811c9dc5 | 0;
/** In a level's table, two bits a bucket, side by side so that one read answers both. */
const BEGINS = 1;
const SHORT = 2;

function levelTable(): Int32Array {
  return new Int32Array((1 << BITS) >>> 4);
}

function markLevel(table: Int32Array, b: number, bits: number): void {
  table[b >>> 4] |= bits << ((b & 15) << 1);
}

function readLevel(table: Int32Array, b: number): number {
  return (table[b >>> 4] >>> ((b & 15) << 1)) & 3;
}

export class TermStartFilter {
  /** Some term starts with unit u. */
  readonly firstUnits = createBitset(0x10000);
  /** u is a whole term. */
  private readonly oneUnit = createBitset(0x10000);
  /**
   * By level, per bucket: BEGINS when it holds the beginning of a term at least that long, SHORT
   * when it holds a term that ends before the next level asks (whose beginning here is the term).
   */
  private readonly level2 = levelTable();
  private readonly level3 = levelTable();
  private readonly level6 = levelTable();

  constructor(terms: readonly string[]) {
    // The same hashes, level by level, as beginsTerm() takes of the text.
    for (const t of terms) {
      if (t.length === 0) continue;
      const u = (k: number): number => t.charCodeAt(k);
      addToBitset(this.firstUnits, u(0));
      if (t.length === 1) {
        addToBitset(this.oneUnit, u(0));
        continue;
      }
      let h = step(step(SEED, u(0)), u(1));
      markLevel(this.level2, bucket(h), t.length < 3 ? BEGINS | SHORT : BEGINS);
      if (t.length < 3) continue;
      h = step(h, u(2));
      markLevel(this.level3, bucket(h), t.length < 6 ? BEGINS | SHORT : BEGINS);
      if (t.length < 6) continue;
      h = step(step(step(h, u(3)), u(4)), u(5));
      markLevel(this.level6, bucket(h), BEGINS);
    }
  }

  /** False when no term starts at `at` of units[0, length); true when one may. */
  mayStart(units: Uint16Array, length: number, at: number): boolean {
    return inBitset(this.firstUnits, units[at]) && this.beginsTerm(units, length, at);
  }

  /** mayStart() past its first unit, for a caller that has checked firstUnits itself. */
  beginsTerm(units: Uint16Array, length: number, at: number): boolean {
    const u0 = units[at];
    if (inBitset(this.oneUnit, u0) || at + 2 > length) return true;
    let h = step(step(SEED, u0), units[at + 1]);
    let v = readLevel(this.level2, bucket(h));
    if (v !== BEGINS) return v !== 0;
    if (at + 3 > length) return true;
    h = step(h, units[at + 2]);
    v = readLevel(this.level3, bucket(h));
    if (v !== BEGINS) return v !== 0;
    if (at + 6 > length) return true;
    h = step(step(step(h, units[at + 3]), units[at + 4]), units[at + 5]);
    return readLevel(this.level6, bucket(h)) !== 0;
  }
}
