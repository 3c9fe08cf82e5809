import { EmbedderError, type TextEmbedder } from '../text-embedder.port';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: Float32Array): number => Math.sqrt(cosine(a, a));

/** The behaviour every adapter of the TextEmbedder port must show, written against the port only. */
export function describeTextEmbedderContract(name: string, start: () => Promise<TextEmbedder>): void {
  describe(`TextEmbedder contract: ${name}`, () => {
    let embedder: TextEmbedder;
    beforeAll(async () => {
      embedder = await start();
    });
    afterAll(async () => {
      await embedder?.close();
    });

    it('gives one unit vector of its dimensions per text, in the order given', async () => {
      const texts = ['Heroin seized at the border', 'На границе изъят героин', '边境查获海洛因', ''];
      const vectors = await embedder.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      for (const v of vectors) {
        expect(v).toHaveLength(embedder.dimensions);
        expect(norm(v)).toBeCloseTo(1, 2);
      }
      const [reversed] = [await embedder.embed([...texts].reverse())];
      reversed.reverse().forEach((v, i) => expect(cosine(v, vectors[i])).toBeCloseTo(1, 4));
      expect(cosine(vectors[0], vectors[1])).toBeLessThan(0.9999);
    });

    it('answers requests made together each with its own vectors', async () => {
      const [a, b, c] = await Promise.all([embedder.embed(['opium']), embedder.embed(['weather', 'football']), embedder.embed([])]);
      expect([a.length, b.length, c.length]).toEqual([1, 2, 0]);
      const [alone] = await embedder.embed(['football']);
      expect(cosine(alone, b[1])).toBeCloseTo(1, 4);
    });

    it('refuses what is not a list of strings, and goes on serving', async () => {
      await expect(embedder.embed(['ok', 7 as unknown as string])).rejects.toMatchObject({ code: 'EMBEDDER_BAD_INPUT', retriable: false });
      await expect(embedder.embed(['still working'])).resolves.toHaveLength(1);
    });

    it('refuses work once closed, as a retriable stop', async () => {
      const other = await start();
      await other.close();
      const error = await other.embed(['late']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedderError);
      expect(error).toMatchObject({ code: 'EMBEDDER_STOPPED', retriable: true });
    });
  });
}
