import type { NeighbourVoteSpec } from '../neighbour-vote';

/**
 * A neighbour-vote spec for tests, stored as train_second_look.py stores one (each vector made a
 * unit vector, int8 over a float32 scale), so that tests read what a fitted model holds.
 */
export function neighbourSpec(vectors: readonly ArrayLike<number>[], topicsOf: readonly string[][], options: { topics: string[]; k: number; sharpness: number }): NeighbourVoteSpec {
  const dimensions = vectors[0]?.length ?? 0;
  const quantised = Buffer.alloc(vectors.length * dimensions);
  const scales = Buffer.alloc(vectors.length * 4);
  vectors.forEach((v, r) => {
    const norm = Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0)) || 1;
    const scale = Math.max(...Array.from(v, (x) => Math.abs(x / norm)), 1e-12) / 127;
    for (let d = 0; d < dimensions; d++) quantised.writeInt8(Math.round(v[d] / norm / scale), r * dimensions + d);
    scales.writeFloatLE(scale, r * 4);
  });
  return {
    ...options,
    labels: topicsOf.map((ids) => ids.reduce((mask, id) => mask | (1 << options.topics.indexOf(id)), 0)),
    vectors: quantised.toString('base64'),
    scales: scales.toString('base64'),
  };
}
