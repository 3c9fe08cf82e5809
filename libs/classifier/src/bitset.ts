/**
 * Sets of small numbers (code units, hash buckets) as bits in an Int32Array: the scanner's filters
 * ask one per word start, and a bit per member keeps a 65,536-member set in 8 KB of cache.
 */
export function createBitset(size: number): Int32Array {
  return new Int32Array((size + 31) >>> 5);
}

export function addToBitset(bits: Int32Array, n: number): void {
  bits[n >>> 5] |= 1 << (n & 31);
}

export function inBitset(bits: Int32Array, n: number): boolean {
  return (bits[n >>> 5] & (1 << (n & 31))) !== 0;
}
