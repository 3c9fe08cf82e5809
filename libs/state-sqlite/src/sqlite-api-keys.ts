import type Database from 'better-sqlite3';
import { ApiKeyChecks, ApiKeyInfo, ApiKeyPrincipal, ApiKeyRegistry, ApiKeyRole, CreatedApiKey } from '@monitor/alerts';

export interface SqliteApiKeysOptions {
  db: Database.Database;
  /** The operator's admin key from config (ADMIN_API_KEY), at least 16 characters; optional. */
  adminKey?: string;
  now?: () => Date;
}

interface KeyRow {
  key_id: string;
  hash: Buffer;
  role: ApiKeyRole;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

/** API keys in the shared SQLite file, hashed with SHA-256 and compared in constant time. */
export class SqliteApiKeys implements ApiKeyRegistry {
  private readonly db: Database.Database;
  private readonly checks: ApiKeyChecks;
  private readonly now: () => Date;

  constructor(options: SqliteApiKeysOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.checks = new ApiKeyChecks(options.adminKey);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY, hash BLOB NOT NULL, role TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
        label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)
    `);
  }

  async create(input: { role: ApiKeyRole; label?: string }): Promise<CreatedApiKey> {
    const { keyId, key, hash, role, label } = this.checks.mint(input);
    const createdAt = this.now().toISOString();
    this.db.prepare('INSERT INTO api_keys (key_id, hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)').run(keyId, hash, role, label, createdAt);
    return { keyId, key, role, label, createdAt, revokedAt: null };
  }

  async resolve(presented: string | undefined | null): Promise<ApiKeyPrincipal> {
    return this.checks.resolve(presented, async (keyId) => {
      const row = this.db.prepare('SELECT * FROM api_keys WHERE key_id = ?').get(keyId) as KeyRow | undefined;
      return row ? { keyId: row.key_id, hash: row.hash, role: row.role, revoked: row.revoked_at !== null } : null;
    });
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, key_id').all() as KeyRow[];
    return rows.map((r) => ({ keyId: r.key_id, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  async revoke(keyId: string): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL')
      .run(this.now().toISOString(), keyId);
    return result.changes === 1;
  }
}
