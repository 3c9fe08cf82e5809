import Database from 'better-sqlite3';
import { ValidationError } from '@monitor/contracts';
import { describeApiKeyRegistryContract } from '@monitor/alerts/testing';
import { SqliteApiKeys } from './sqlite-api-keys';

describeApiKeyRegistryContract('SqliteApiKeys', { create: ({ adminKey }) => new SqliteApiKeys({ db: new Database(':memory:'), adminKey }) });

describe('SqliteApiKeys', () => {
  let db: Database.Database;
  beforeEach(() => (db = new Database(':memory:')));
  afterEach(() => db.close());

  it('stores only the hash of a key, never the key', async () => {
    const created = await new SqliteApiKeys({ db }).create({ role: 'analyst', label: 'desk A' });
    const dump = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
    expect(dump).not.toContain(created.key.slice(-43));
  });

  it('refuses an operator admin key shorter than 16 characters', () => {
    expect(() => new SqliteApiKeys({ db, adminKey: 'short' })).toThrow(ValidationError);
  });

  it('keys survive reopening the table', async () => {
    const created = await new SqliteApiKeys({ db }).create({ role: 'analyst' });
    expect((await new SqliteApiKeys({ db }).resolve(created.key)).keyId).toBe(created.keyId);
  });
});
