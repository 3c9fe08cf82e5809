import { ApiKeyRejectedError } from './alert-errors';
import { apiKeyFromHeaders, apiKeyOfRequest } from './api-key-headers';

describe('apiKeyFromHeaders', () => {
  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(apiKeyFromHeaders({ authorization: 'Bearer abc' })).toBe('abc');
    expect(apiKeyFromHeaders({ 'x-api-key': ' xyz ' })).toBe('xyz');
    expect(apiKeyFromHeaders({ authorization: 'Basic Zm9v' })).toBeUndefined();
    expect(apiKeyFromHeaders({ authorization: ['Bearer first', 'Bearer second'] })).toBe('first');
  });
});

describe('apiKeyOfRequest', () => {
  it('takes the key from whichever place it came in, the same key in two places included', () => {
    expect(apiKeyOfRequest({ 'x-api-key': 'k1' })).toBe('k1');
    expect(apiKeyOfRequest({}, 'k2')).toBe('k2');
    expect(apiKeyOfRequest({ authorization: 'Bearer k3', 'x-api-key': 'k3' }, 'k3')).toBe('k3');
    expect(apiKeyOfRequest({ authorization: 'Basic Zm9v' })).toBeUndefined();
  });

  it('refuses two different keys instead of picking one (a wrong key must not ride along a right one)', () => {
    expect(() => apiKeyOfRequest({ 'x-api-key': 'right' }, 'wrong')).toThrow(ApiKeyRejectedError);
    expect(() => apiKeyOfRequest({ authorization: 'Bearer right', 'x-api-key': 'wrong' })).toThrow(ApiKeyRejectedError);
    // An empty or malformed credential beside a good one is a second, wrong key.
    expect(() => apiKeyOfRequest({ authorization: 'Bearer ', 'x-api-key': 'right' })).toThrow(ApiKeyRejectedError);
    expect(() => apiKeyOfRequest({ 'x-api-key': 'right' }, '')).toThrow(ApiKeyRejectedError);
    expect(apiKeyOfRequest({ authorization: 'Basic Zm9v', 'x-api-key': 'right' })).toBe('right');
  });
});
