import type { Readable } from 'node:stream';
import { MonitorError } from '@monitor/contracts';

/** A response body over the size limit; `declaredBytes` when Content-Length already said so. */
export class BodyTooLargeError extends MonitorError {
  constructor(
    readonly limitBytes: number,
    readonly declaredBytes?: number,
  ) {
    super('BODY_TOO_LARGE', declaredBytes !== undefined ? `body is ${declaredBytes} bytes, over the limit of ${limitBytes}` : `body exceeded the limit of ${limitBytes} bytes`);
  }
}

/**
 * Reads a response body into memory, destroying the stream (and so the connection) as soon as it
 * passes `maxBytes`: a declared Content-Length over the limit is refused before reading, and an
 * undeclared or lying one is cut off at the limit instead of being buffered whole.
 */
export async function readBoundedBody(body: Readable, maxBytes: number, contentLength?: string | string[]): Promise<Buffer> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (contentLength !== undefined && Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw new BodyTooLargeError(maxBytes, declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      body.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
