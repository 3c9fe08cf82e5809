import { Readable } from 'node:stream';
import { request } from 'undici';
import { BodyTooLargeError, readBoundedBody } from './bounded-body';
import { startLoopbackHttp } from './testing/loopback-http';

describe('readBoundedBody', () => {
  it('refuses a declared Content-Length over the limit without reading it, and cuts off a streamed body at the limit', async () => {
    let written = 0;
    const server = await startLoopbackHttp((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(1024 * 1024) }).end(Buffer.alloc(1024 * 1024, 'a'));
        return;
      }
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'b');
      const pump = () => {
        // Writes until the client hangs up: only the reader's limit can end this body.
        while (!res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) break;
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    try {
      const declared = await request(`${server.base}/declared`);
      await expect(readBoundedBody(declared.body, 64 * 1024, declared.headers['content-length'])).rejects.toMatchObject({ code: 'BODY_TOO_LARGE', declaredBytes: 1024 * 1024, limitBytes: 64 * 1024 });

      const streamed = await request(`${server.base}/endless`);
      const error = await readBoundedBody(streamed.body, 64 * 1024, streamed.headers['content-length']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BodyTooLargeError);
      expect((error as BodyTooLargeError).declaredBytes).toBeUndefined();
      expect(streamed.body.destroyed).toBe(true);
    } finally {
      await server.close();
    }
    expect(written).toBeGreaterThan(64 * 1024);
  });

  it('returns a body within the limit whole', async () => {
    const body = await readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4, '4');
    expect(body.toString()).toBe('abcd');
  });
});
