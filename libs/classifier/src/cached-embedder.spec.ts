import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedEmbedder } from './cached-embedder';
import { HashedEmbedder } from './testing';

describe('CachedEmbedder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'embeddings-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('embeds a text once, across runs, and answers with the same vectors in the order asked', async () => {
    const inner = new HashedEmbedder();
    const calls: string[][] = [];
    const counting = Object.assign(Object.create(inner) as HashedEmbedder, { embed: (texts: readonly string[]) => (calls.push([...texts]), inner.embed(texts)) });
    const first = new CachedEmbedder(counting, dir);
    const a = await first.embed(['heroin', 'opium', 'heroin']);
    expect(calls).toEqual([['heroin', 'opium']]);
    const second = new CachedEmbedder(counting, dir);
    const b = await second.embed(['opium', 'heroin', 'cannabis']);
    expect(calls).toEqual([['heroin', 'opium'], ['cannabis']]);
    expect([...b[0]]).toEqual([...a[1]]);
    expect([...b[1]]).toEqual([...a[0]]);
    expect(second.hits).toBe(2);
    expect(second.file).toBe(join(dir, 'hashed-trigrams_64.jsonl'));
  });

  it('embeds again what an interrupted run left half-written', async () => {
    const inner = new HashedEmbedder();
    await new CachedEmbedder(inner, dir).embed(['heroin']);
    appendFileSync(join(dir, 'hashed-trigrams_64.jsonl'), '{"key": "abc", "vec');
    const again = new CachedEmbedder(inner, dir);
    await again.embed(['heroin', 'opium']);
    expect([again.hits, again.misses]).toEqual([1, 1]);
  });
});
