/**
 * Hashed character n-grams of an article's match text (what the matcher reads after its own
 * normalisation: lower case, NFKC, traditional Chinese read as simplified, Russian words without
 * their endings), for the learned second opinion (second-opinion.ts).
 *
 * Kept as the list of bucket numbers in reading order, repeats included, not as counts: filling
 * it is one multiply and one store per n-gram with no branch to mispredict, and a topic's score is
 * the sum of its weights over the list (its n-gram counts times its weights, divided by sqrt(n)).
 * Deduplicating into counts first cost twice the whole rule pass (measured on the bench articles).
 */

export interface NgramSpec {
  /** The table has 2^bits buckets. */
  bits: number;
  /** Shortest and longest n-gram, in code units. */
  min: number;
  max: number;
  /** Units read per field at most: the lead of a long text says what it is about, and reading all of it costs the bench its margin. */
  maxUnits: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPREAD = 0x9e3779b1;

export class NgramBag {
  /** Bucket of each n-gram read, in order. */
  ids: Int32Array = new Int32Array(8192);
  count = 0;
  private readonly shift: number;

  constructor(readonly spec: NgramSpec) {
    if (!Number.isInteger(spec.bits) || spec.bits < 4 || spec.bits > 20) throw new RangeError(`n-gram table bits must be an integer from 4 to 20, not ${spec.bits}`);
    if (!Number.isInteger(spec.min) || !Number.isInteger(spec.max) || spec.min < 1 || spec.max < spec.min || spec.max > 8) {
      throw new RangeError(`n-gram sizes must be integers with 1 <= min <= max <= 8, not ${spec.min}..${spec.max}`);
    }
    this.shift = 32 - spec.bits;
  }

  clear(): void {
    this.count = 0;
  }

  /** Makes this bag a copy of `other`. */
  copyFrom(other: NgramBag): void {
    if (this.ids.length < other.count) this.ids = new Int32Array(other.ids.length);
    this.ids.set(other.ids.subarray(0, other.count));
    this.count = other.count;
  }

  /** Adds the n-grams of units[0 .. min(length, maxUnits)). */
  add(units: Uint16Array, length: number): void {
    const min = this.spec.min;
    const max = this.spec.max;
    const n = Math.min(length, this.spec.maxUnits);
    const room = this.count + n * (max - min + 1);
    if (this.ids.length < room) {
      const grown = new Int32Array(Math.max(room, this.ids.length * 2));
      grown.set(this.ids.subarray(0, this.count));
      this.ids = grown;
    }
    const ids = this.ids;
    const shift = this.shift;
    let c = this.count;
    for (let i = 0; i + min <= n; i++) {
      let h = FNV_OFFSET;
      const last = Math.min(max, n - i);
      for (let k = 0; k < last; k++) {
        h = Math.imul(h ^ units[i + k], FNV_PRIME);
        if (k + 1 >= min) ids[c++] = Math.imul(h, SPREAD) >>> shift;
      }
    }
    this.count = c;
  }

  /** What each n-gram weighs: 1 / sqrt(n-grams read), so a long text weighs as much as a short one. */
  scale(): number {
    return this.count === 0 ? 0 : 1 / Math.sqrt(this.count);
  }
}
