import type Database from 'better-sqlite3';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@monitor/contracts';
import {
  ApiKeyInfo,
  ApiKeyPrincipal,
  ApiKeyRegistry,
  ApiKeyRejectedError,
  ApiKeyRole,
  BOOTSTRAP_ADMIN_KEY_ID,
  CreatedApiKey,
  apiKeyIdOf,
  hashApiKey,
  mintApiKey,
} from '@monitor/alerts';

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
  private readonly adminHash: Buffer | null;
  private readonly now: () => Date;
  // Compared against when a key id is unknown, so that a miss costs what a hit costs.
  private readonly decoy = hashApiKey(randomBytes(32).toString('hex'));

  constructor(options: SqliteApiKeysOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    if (options.adminKey !== undefined && options.adminKey.length < 16) {
      throw new ValidationError('ADMIN_API_KEY: at least 16 characters', 'ADMIN_API_KEY');
    }
    this.adminHash = options.adminKey ? hashApiKey(options.adminKey) : null;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY, hash BLOB NOT NULL, role TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
        label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)
    `);
  }

  async create(input: { role: ApiKeyRole; label?: string }): Promise<CreatedApiKey> {
    if (input.role !== 'analyst' && input.role !== 'admin') throw new ValidationError('role: analyst or admin', 'role');
    const label = (input.label ?? '').trim();
    if (label.length > 200) throw new ValidationError('label: at most 200 characters', 'label');
    const { keyId, key } = mintApiKey();
    const createdAt = this.now().toISOString();
    this.db
      .prepare('INSERT INTO api_keys (key_id, hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(keyId, hashApiKey(key), input.role, label, createdAt);
    return { keyId, key, role: input.role, label, createdAt, revokedAt: null };
  }

  async resolve(presented: string | undefined | null): Promise<ApiKeyPrincipal> {
    if (!presented) throw new ApiKeyRejectedError('missing API key');
    const hash = hashApiKey(presented);
    if (this.adminHash && timingSafeEqual(hash, this.adminHash)) return { keyId: BOOTSTRAP_ADMIN_KEY_ID, role: 'admin' };
    const keyId = apiKeyIdOf(presented);
    const row = keyId ? (this.db.prepare('SELECT * FROM api_keys WHERE key_id = ?').get(keyId) as KeyRow | undefined) : undefined;
    const equal = timingSafeEqual(hash, row ? row.hash : this.decoy);
    if (!row || !equal || row.revoked_at) throw new ApiKeyRejectedError('invalid API key');
    return { keyId: row.key_id, role: row.role };
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
