import { apiKeyFromHeaders } from './api-key-headers';

describe('apiKeyFromHeaders', () => {
  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(apiKeyFromHeaders({ authorization: 'Bearer abc' })).toBe('abc');
    expect(apiKeyFromHeaders({ 'x-api-key': ' xyz ' })).toBe('xyz');
    expect(apiKeyFromHeaders({ authorization: 'Basic Zm9v' })).toBeUndefined();
    expect(apiKeyFromHeaders({ authorization: ['Bearer first', 'Bearer second'] })).toBe('first');
  });
});
