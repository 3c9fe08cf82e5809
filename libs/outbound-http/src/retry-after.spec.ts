import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after';

const now = Date.parse('2025-11-03T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['2', '40'], now)).toBe(2000);
  });

  it('reads an HTTP-date in IMF and RFC 850 form; a past date means now', () => {
    expect(parseRetryAfter('Mon, 03 Nov 2025 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Monday, 03-Nov-25 10:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 03 Nov 2025 09:00:00 GMT', now)).toBe(0);
  });

  it('caps a long wait', () => {
    expect(parseRetryAfter('999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Wed, 03 Dec 2025 10:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('120', now, 60_000)).toBe(60_000);
  });

  it('ignores what is neither form', () => {
    for (const value of [undefined, '', 'soon', '-3', '2.5', '1e3', ' ']) expect([value, parseRetryAfter(value, now)]).toEqual([value, undefined]);
  });
});
