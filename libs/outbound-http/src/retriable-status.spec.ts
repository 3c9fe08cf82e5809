import { asksToWait, isRetriableStatus } from './retriable-status';

describe('isRetriableStatus', () => {
  it('retries timeouts, too-early, rate limits and transient server errors', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504, 507, 599]) expect([status, isRetriableStatus(status)]).toEqual([status, true]);
  });

  it('does not retry client errors, permanent server errors or non-errors', () => {
    for (const status of [200, 304, 400, 401, 403, 404, 410, 413, 422, 501, 505, 506, 508, 510, 511, 600]) {
      expect([status, isRetriableStatus(status)]).toEqual([status, false]);
    }
  });

  it('names 429 and 503 as the answers asking to wait', () => {
    expect([429, 503].every(asksToWait)).toBe(true);
    expect([500, 502, 408].some(asksToWait)).toBe(false);
  });
});
