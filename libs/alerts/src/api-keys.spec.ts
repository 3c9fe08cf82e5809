import Database from 'better-sqlite3';
import { ValidationError } from '@monitor/contracts';
import { SqliteApiKeys, apiKeyFromHeaders } from './api-keys';
import { ApiKeyRejectedError } from './alert-errors';

describe('SqliteApiKeys', () => {
  let db: Database.Database;
  beforeEach(() => (db = new Database(':memory:')));
  afterEach(() => db.close());

  it('returns the secret once, stores only its hash, and resolves it to key id and role', () => {
    const keys = new SqliteApiKeys({ db });
    const created = keys.create({ role: 'analyst', label: 'desk A' });
    expect(created.key).toMatch(/^mon_k[0-9a-f]{12}_/);
    expect(keys.resolve(created.key)).toEqual({ keyId: created.keyId, role: 'analyst' });
    const dump = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
    expect(dump).not.toContain(created.key.slice(-43));
    expect(keys.list()).toEqual([expect.not.objectContaining({ key: expect.anything() })]);
  });

  it('rejects missing, unknown, tampered and revoked keys', () => {
    const keys = new SqliteApiKeys({ db });
    const created = keys.create({ role: 'analyst' });
    const tampered = created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A');
    for (const bad of [undefined, '', 'nonsense', tampered, created.key.replace(created.keyId, 'k000000000000')]) {
      expect(() => keys.resolve(bad)).toThrow(ApiKeyRejectedError);
    }
    expect(keys.revoke(created.keyId)).toBe(true);
    expect(keys.revoke(created.keyId)).toBe(false);
    expect(() => keys.resolve(created.key)).toThrow(ApiKeyRejectedError);
  });

  it('accepts the operator admin key from config and mints admin and analyst keys', () => {
    const keys = new SqliteApiKeys({ db, adminKey: 'operator-secret-0123456789' });
    expect(keys.resolve('operator-secret-0123456789')).toEqual({ keyId: 'admin', role: 'admin' });
    const admin = keys.create({ role: 'admin' });
    expect(keys.resolve(admin.key).role).toBe('admin');
    expect(() => new SqliteApiKeys({ db, adminKey: 'short' })).toThrow(ValidationError);
    expect(() => keys.create({ role: 'root' as never })).toThrow(expect.objectContaining({ field: 'role' }));
  });

  it('keys survive reopening the file-backed table', () => {
    const first = new SqliteApiKeys({ db });
    const created = first.create({ role: 'analyst' });
    expect(new SqliteApiKeys({ db }).resolve(created.key).keyId).toBe(created.keyId);
  });

  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(apiKeyFromHeaders({ authorization: 'Bearer abc' })).toBe('abc');
    expect(apiKeyFromHeaders({ 'x-api-key': ' xyz ' })).toBe('xyz');
    expect(apiKeyFromHeaders({ authorization: 'Basic Zm9v' })).toBeUndefined();
  });
});
