/**
 * An embedder that starts a new worker when the one it had stopped by itself (EMBEDDER_STOPPED:
 * the process died, was killed, ran out of memory), so that one crash does not leave the
 * classifier stage failing every batch until someone restarts the service. The request that met
 * the crash is tried once on the new worker; a crash of that one too, or a worker that cannot be
 * started again, is passed on as a retriable EMBEDDER_STOPPED, and the next request starts another.
 */
import { EmbedderError, type TextEmbedder } from './text-embedder.port';

export class RestartingEmbedder implements TextEmbedder {
  readonly model: string;
  readonly dimensions: number;
  private current: Promise<TextEmbedder>;
  /**
   * The worker `current` resolved to, known at once, so that two requests that met one crash start
   * one worker: null while one starts, undefined when the last start failed (the next request
   * starts another).
   */
  private live: TextEmbedder | null | undefined;
  private closed = false;
  /** Workers started after the first, for operators and tests. */
  restarts = 0;

  constructor(
    first: TextEmbedder,
    private readonly startAnother: () => Promise<TextEmbedder>,
  ) {
    this.model = first.model;
    this.dimensions = first.dimensions;
    this.current = Promise.resolve(first);
    this.live = first;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.live === undefined && !this.closed) this.replace(undefined);
    const embedder = await this.current;
    try {
      return await embedder.embed(texts);
    } catch (error) {
      if (this.closed || !(error instanceof EmbedderError) || error.code !== 'EMBEDDER_STOPPED') throw error;
      return (await this.replace(embedder)).embed(texts);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await (await this.current.catch(() => null))?.close();
  }

  /** One new worker for requests that met the same crash together. */
  private replace(stopped: TextEmbedder | undefined): Promise<TextEmbedder> {
    if (this.live === stopped) {
      this.restarts += 1;
      this.live = null;
      this.current = this.startAnother().then(
        (e) => (this.live = e),
        (cause: unknown) => {
          this.live = undefined;
          throw new EmbedderError('EMBEDDER_STOPPED', `the embedder's worker stopped and could not be started again: ${(cause as Error).message}`, cause);
        },
      );
      void stopped?.close().catch(() => undefined);
    }
    return this.current;
  }
}
