/**
 * A TextEmbedder that remembers what it embedded, in a JSON-lines file (`sha1 of the text`,
 * vector as base64 float32), for the measuring commands (train:second-look, eval:classifier
 * --second-look), which embed the same two thousand corpus articles run after run: minutes with
 * the model on two cores, a second from the file. The file names its model, so that vectors of
 * one model never answer for another.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { vectorToBase64, vectorsFromBase64 } from './float32-base64';
import type { TextEmbedder } from './text-embedder.port';

export class CachedEmbedder implements TextEmbedder {
  readonly file: string;
  private readonly vectors = new Map<string, Float32Array>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly inner: TextEmbedder,
    dir: string,
  ) {
    this.file = join(dir, `${inner.model.replace(/[^a-zA-Z0-9.-]+/g, '_')}.jsonl`);
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const { key, vector } = JSON.parse(line) as { key: string; vector: string };
          const [v] = vectorsFromBase64(vector);
          if (v?.length === inner.dimensions) this.vectors.set(key, v);
        } catch {
          // A line cut short by an interrupted run: that text is embedded again.
        }
      }
    }
  }

  get model(): string {
    return this.inner.model;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map((t) => createHash('sha1').update(t).digest('hex'));
    const missing = [...new Set(keys.filter((k) => !this.vectors.has(k)))];
    this.hits += keys.filter((k) => this.vectors.has(k)).length;
    if (missing.length > 0) {
      const textOf = new Map(keys.map((k, i) => [k, texts[i]]));
      const fresh = await this.inner.embed(missing.map((k) => textOf.get(k)!));
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, missing.map((k, i) => JSON.stringify({ key: k, vector: vectorToBase64(fresh[i]) })).join('\n') + '\n');
      missing.forEach((k, i) => this.vectors.set(k, fresh[i]));
      this.misses += missing.length;
    }
    return keys.map((k) => this.vectors.get(k)!);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

}
