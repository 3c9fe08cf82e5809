import { RestartingEmbedder } from './restarting-embedder';
import { HashedEmbedder, describeTextEmbedderContract } from './testing';
import { EmbedderError } from './text-embedder.port';

/** A worker that can be made to die, as a killed Python process does: every request then stops. */
class MortalEmbedder extends HashedEmbedder {
  dead = false;
  override async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.dead) throw new EmbedderError('EMBEDDER_STOPPED', 'the worker ended');
    return super.embed(texts);
  }
}

describe('RestartingEmbedder', () => {
  it('starts one new worker when the one it had died, and answers the request that met the crash', async () => {
    const started: MortalEmbedder[] = [new MortalEmbedder()];
    const embedder = new RestartingEmbedder(started[0], async () => (started.push(new MortalEmbedder()), started[started.length - 1]));
    const before = await embedder.embed(['heroin']);
    started[0].dead = true;
    const [a, b] = await Promise.all([embedder.embed(['heroin']), embedder.embed(['opium'])]);
    expect([...a[0]]).toEqual([...before[0]]);
    expect(b).toHaveLength(1);
    expect([started.length, embedder.restarts]).toEqual([2, 1]);
  });

  it('passes on a worker that cannot be started again as a retriable stop, and tries again at the next request', async () => {
    const first = new MortalEmbedder();
    let failures = 1;
    const embedder = new RestartingEmbedder(first, async () => {
      if (failures-- > 0) throw new EmbedderError('EMBEDDER_UNAVAILABLE', 'python is gone');
      return new MortalEmbedder();
    });
    first.dead = true;
    await expect(embedder.embed(['heroin'])).rejects.toMatchObject({ code: 'EMBEDDER_STOPPED', retriable: true, message: expect.stringContaining('python is gone') });
    await expect(embedder.embed(['heroin'])).resolves.toHaveLength(1);
    expect(embedder.restarts).toBe(2);
  });

  it('passes on what is not a crash, and does not restart once closed', async () => {
    const first = new MortalEmbedder();
    const embedder = new RestartingEmbedder(first, async () => new MortalEmbedder());
    await expect(embedder.embed([7 as unknown as string])).rejects.toMatchObject({ code: 'EMBEDDER_BAD_INPUT' });
    await embedder.close();
    first.dead = true;
    await expect(embedder.embed(['late'])).rejects.toMatchObject({ code: 'EMBEDDER_STOPPED' });
    expect(embedder.restarts).toBe(0);
  });
});

describeTextEmbedderContract('restarting, around hashed trigrams', async () => new RestartingEmbedder(new HashedEmbedder(), async () => new HashedEmbedder()));
