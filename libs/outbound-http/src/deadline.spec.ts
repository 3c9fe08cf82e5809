import { request } from 'undici';
import { DeadlineExceededError, withDeadline } from './deadline';
import { startLoopbackHttp } from './testing/loopback-http';

describe('withDeadline', () => {
  it('cuts off a slow drip that never goes silent long enough for a read timeout', async () => {
    let drip: NodeJS.Timeout | undefined;
    const server = await startLoopbackHttp((_req, res) => {
      res.writeHead(200);
      drip = setInterval(() => res.write('<'), 20);
      res.on('close', () => clearInterval(drip));
    });
    try {
      const error = await withDeadline(300, async (signal) => {
        const response = await request(server.base, { signal, bodyTimeout: 250 });
        return response.body.text();
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeadlineExceededError);
      expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', retriable: true, timeoutMs: 300 });
    } finally {
      clearInterval(drip);
      await server.close();
    }
  });

  it('returns the result within the deadline and passes other errors through', async () => {
    await expect(withDeadline(1000, async () => 'done')).resolves.toBe('done');
    await expect(withDeadline(1000, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('lets the caller cancel, with the caller reason and not a deadline error', async () => {
    const outer = new AbortController();
    const run = withDeadline(10_000, (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))), outer.signal);
    outer.abort(new Error('monitor stopping'));
    await expect(run).rejects.toThrow('monitor stopping');
  });
});
