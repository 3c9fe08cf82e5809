import { ApiKeyChecks, ApiKeyInfo, ApiKeyPrincipal, ApiKeyRegistry, ApiKeyRole, CreatedApiKey } from '@monitor/alerts';
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
 * time (ApiKeyChecks). Writes wait for the refresh, so list() shows them at once.
 */
export class ElasticApiKeys implements ApiKeyRegistry {
  private readonly docs: StateDocuments;
  private readonly index: string;
  private readonly checks: ApiKeyChecks;
  private readonly now: () => Date;

  constructor(options: ElasticApiKeysOptions) {
    this.docs = new StateDocuments(options.indices.client);
    this.index = options.indices.name('api-keys');
    this.now = options.now ?? (() => new Date());
    this.checks = new ApiKeyChecks(options.adminKey);
  }

  async create(input: { role: ApiKeyRole; label?: string }): Promise<CreatedApiKey> {
    const { keyId, key, hash, role, label } = this.checks.mint(input);
    const createdAt = this.now().toISOString();
    const doc: KeyDoc = { keyId, hash: hash.toString('hex'), role, label, createdAt, revokedAt: null };
    // Create-only: a (vanishingly unlikely) id collision must not overwrite another owner's key.
    if (!(await this.docs.create(this.index, keyId, doc, 'wait_for'))) throw new StateStoreError(`API key id ${keyId} exists already`, { retriable: true });
    return { keyId, key, role, label, createdAt, revokedAt: null };
  }

  async resolve(presented: string | undefined | null): Promise<ApiKeyPrincipal> {
    return this.checks.resolve(presented, async (keyId) => {
      const doc = (await this.docs.get<KeyDoc>(this.index, keyId))?.source;
      return doc ? { keyId: doc.keyId, hash: Buffer.from(doc.hash, 'hex'), role: doc.role, revoked: doc.revokedAt !== null } : null;
    });
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
