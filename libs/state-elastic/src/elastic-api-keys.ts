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
import { StateDocuments, StateStoreError } from './elastic-requests';
import { StateIndices } from './state-indices';

export interface ElasticApiKeysOptions {
  indices: StateIndices;
  /** The operator's admin key from config (ADMIN_API_KEY), at least 16 characters; optional. */
  adminKey?: string;
  now?: () => Date;
}

interface KeyDoc {
  keyId: string;
  /** Hex SHA-256 of the whole key (hashApiKey): the key itself is never stored. */
  hash: string;
  role: ApiKeyRole;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * API keys in Elasticsearch, one document per key id, holding only the SHA-256 of the key. A
 * presented key names its id, so it is found by a realtime read by id and compared in constant
 * time; an unknown id is compared against a decoy, so a miss costs what a hit costs. Writes wait
 * for the refresh, so list() shows them at once.
 */
export class ElasticApiKeys implements ApiKeyRegistry {
  private readonly docs: StateDocuments;
  private readonly index: string;
  private readonly adminHash: Buffer | null;
  private readonly now: () => Date;
  private readonly decoy = hashApiKey(randomBytes(32).toString('hex'));

  constructor(options: ElasticApiKeysOptions) {
    this.docs = new StateDocuments(options.indices.client);
    this.index = options.indices.name('api-keys');
    this.now = options.now ?? (() => new Date());
    if (options.adminKey !== undefined && options.adminKey.length < 16) {
      throw new ValidationError('ADMIN_API_KEY: at least 16 characters', 'ADMIN_API_KEY');
    }
    this.adminHash = options.adminKey ? hashApiKey(options.adminKey) : null;
  }

  async create(input: { role: ApiKeyRole; label?: string }): Promise<CreatedApiKey> {
    if (input.role !== 'analyst' && input.role !== 'admin') throw new ValidationError('role: analyst or admin', 'role');
    const label = (input.label ?? '').trim();
    if (label.length > 200) throw new ValidationError('label: at most 200 characters', 'label');
    const { keyId, key } = mintApiKey();
    const createdAt = this.now().toISOString();
    const doc: KeyDoc = { keyId, hash: hashApiKey(key).toString('hex'), role: input.role, label, createdAt, revokedAt: null };
    // Create-only: a (vanishingly unlikely) id collision must not overwrite another owner's key.
    if (!(await this.docs.create(this.index, keyId, doc, 'wait_for'))) throw new StateStoreError(`API key id ${keyId} exists already`, { retriable: true });
    return { keyId, key, role: input.role, label, createdAt, revokedAt: null };
  }

  async resolve(presented: string | undefined | null): Promise<ApiKeyPrincipal> {
    if (!presented) throw new ApiKeyRejectedError('missing API key');
    const hash = hashApiKey(presented);
    if (this.adminHash && timingSafeEqual(hash, this.adminHash)) return { keyId: BOOTSTRAP_ADMIN_KEY_ID, role: 'admin' };
    const keyId = apiKeyIdOf(presented);
    const doc = keyId ? (await this.docs.get<KeyDoc>(this.index, keyId))?.source : undefined;
    const equal = timingSafeEqual(hash, doc ? Buffer.from(doc.hash, 'hex') : this.decoy);
    if (!doc || !equal || doc.revokedAt) throw new ApiKeyRejectedError('invalid API key');
    return { keyId: doc.keyId, role: doc.role };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const docs = await this.docs.searchAll<KeyDoc>(this.index, { match_all: {} }, [{ createdAt: 'asc' }, { keyId: 'asc' }]);
    return docs.map(({ source: d }) => ({ keyId: d.keyId, role: d.role, label: d.label, createdAt: d.createdAt, revokedAt: d.revokedAt }));
  }

  async revoke(keyId: string): Promise<boolean> {
    const read = await this.docs.get<KeyDoc>(this.index, keyId);
    if (!read || read.source.revokedAt) return false;
    // Conditional: of two admins revoking one key at once, one is told it did.
    return this.docs.replaceIf(this.index, read, { ...read.source, revokedAt: this.now().toISOString() }, 'wait_for');
  }
}
