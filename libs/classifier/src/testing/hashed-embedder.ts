import { EmbedderError, type TextEmbedder } from '../text-embedder.port';

/**
 * Character trigrams hashed into a few dimensions: texts that share wording get close vectors.
 * For tests of what uses the TextEmbedder port (the second look), where a real model's load time
 * and its Python worker would test nothing of theirs. Passes text-embedder.contract.ts.
 */
export class HashedEmbedder implements TextEmbedder {
  readonly model: string;
  private closed = false;

  constructor(readonly dimensions = 64) {
    this.model = `hashed-trigrams/${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closed) throw new EmbedderError('EMBEDDER_STOPPED', 'the embedder was closed');
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new EmbedderError('EMBEDDER_BAD_INPUT', 'embed takes a list of strings');
    return texts.map((t) => this.vector(t));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    const s = ` ${text.toLowerCase()} `;
    for (let i = 0; i + 3 <= s.length; i++) {
      let h = 2166136261;
      for (let j = i; j < i + 3; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619);
      v[(h >>> 0) % this.dimensions] += 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < v.length; d++) v[d] /= norm;
    if (norm === 1 && v.every((x) => x === 0)) v[0] = 1; // an empty text still gets a unit vector
    return v;
  }
}
