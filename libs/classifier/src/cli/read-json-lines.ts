import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Lines of a JSON-lines stream with their 1-based numbers; blank lines are skipped. */
export async function* jsonLines(input: Readable | string): AsyncGenerator<{ line: number; value: unknown; error?: string }> {
  const stream = typeof input === 'string' ? createReadStream(input, 'utf8') : input;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    try {
      yield { line: n, value: JSON.parse(raw) };
    } catch (e) {
      yield { line: n, value: undefined, error: `invalid JSON: ${(e as Error).message}` };
    }
  }
}
