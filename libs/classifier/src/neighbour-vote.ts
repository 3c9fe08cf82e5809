/**
 * The second look's neighbours: the dev articles it was fitted on, kept as vectors with their
 * topics, and the vote of the few nearest to an article, weighted by closeness.
 *
 * Why beside the regressions: news comes as the same story told by many outlets, and the nearest
 * articles already labelled often say more about such an article than one hyperplane per topic. On
 * the forward-chained first readings (taxonomy/CHANGELOG.md, "Batches 17 and 18, and the second
 * look's neighbours") a fifth of the vote to the 10 nearest raised the macro-F1 and the precision of
 * nine topics of eleven, over a plateau of settings.
 *
 * Why hand-written, not a nearest-neighbour library: a few thousand vectors of 384 dimensions are
 * one pass of dot products per article (about a million multiply-adds, well under a millisecond
 * beside the embedder's fifth of a second), exact, with nothing to build or keep in sync.
 *
 * Stored as int8 per dimension with one float32 scale per vector (a quarter of float32's size):
 * the similarities move by about 0.001; on the first readings the macro-F1 stayed 0.873 and the
 * lowest topic precision moved by 0.003.
 */
import { vectorsFromBase64 } from './float32-base64';

export interface NeighbourVoteSpec {
  /** How many nearest articles vote. */
  k: number;
  /** How sharply closeness weighs: a vote counts exp(sharpness × cosine), relative to the nearest. */
  sharpness: number;
  /** The topic ids that `labels` index, bit i for topics[i]. */
  topics: string[];
  /** One bitmask per stored article: its topics. */
  labels: number[];
  /** base64 of int8, labels.length × dimensions, row by row: each article's unit vector over its scale. */
  vectors: string;
  /** base64 of little-endian float32, one per article: what its int8 row is multiplied by. */
  scales: string;
}

/** What is wrong with a spec for vectors of `dimensions` (null when nothing). */
export function neighbourSpecProblem(spec: NeighbourVoteSpec, dimensions: number): string | null {
  const rows = spec.labels.length;
  const bytes = Buffer.from(spec.vectors, 'base64').length;
  if (bytes !== rows * dimensions) return `vectors: ${bytes} bytes, expected ${rows} articles × ${dimensions} dimensions`;
  const scales = Buffer.from(spec.scales, 'base64').length;
  if (scales !== rows * 4) return `scales: ${scales / 4} values, expected one per article (${rows})`;
  if (spec.k > rows) return `k: ${spec.k} neighbours, but only ${rows} articles are kept`;
  const outside = spec.labels.find((mask) => mask >= 2 ** spec.topics.length);
  if (outside !== undefined) return `labels: ${outside} names a topic beyond the ${spec.topics.length} listed`;
  return null;
}

export class NeighbourVote {
  private readonly rows: number;
  private readonly vectors: Float32Array;

  constructor(
    private readonly spec: NeighbourVoteSpec,
    private readonly dimensions: number,
  ) {
    this.rows = spec.labels.length;
    const quantised = new Int8Array(Buffer.from(spec.vectors, 'base64'));
    const [scales] = vectorsFromBase64(spec.scales);
    this.vectors = new Float32Array(this.rows * dimensions);
    for (let r = 0; r < this.rows; r++) {
      for (let d = 0; d < dimensions; d++) this.vectors[r * dimensions + d] = quantised[r * dimensions + d] * scales[r];
    }
  }

  /**
   * Per topic id, the share of the k nearest articles' weight that carries it (0 to 1). An article
   * with no direction (a zero vector) gets no votes.
   */
  votes(vector: Float32Array): Map<string, number> {
    const out = new Map(this.spec.topics.map((id) => [id, 0]));
    let norm = 0;
    for (let d = 0; d < this.dimensions; d++) norm += vector[d] * vector[d];
    if (norm === 0) return out;
    const length = Math.sqrt(norm);
    const similarity = new Float64Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let dot = 0;
      const at = r * this.dimensions;
      for (let d = 0; d < this.dimensions; d++) dot += this.vectors[at + d] * vector[d];
      similarity[r] = dot / length;
    }
    const nearest = this.nearest(similarity);
    const top = similarity[nearest[0]];
    let total = 0;
    const weights = nearest.map((r) => {
      const w = Math.exp(this.spec.sharpness * (similarity[r] - top));
      total += w;
      return w;
    });
    nearest.forEach((r, n) => {
      const mask = this.spec.labels[r];
      this.spec.topics.forEach((id, bit) => {
        if (mask & (1 << bit)) out.set(id, out.get(id)! + weights[n] / total);
      });
    });
    return out;
  }

  /** The rows of the k highest similarities, highest first (ties: the earlier row). */
  private nearest(similarity: Float64Array): number[] {
    const best: number[] = [];
    for (let r = 0; r < this.rows; r++) {
      if (best.length === this.spec.k && similarity[r] <= similarity[best[best.length - 1]]) continue;
      let at = best.length;
      while (at > 0 && similarity[best[at - 1]] < similarity[r]) at--;
      best.splice(at, 0, r);
      if (best.length > this.spec.k) best.pop();
    }
    return best;
  }
}
