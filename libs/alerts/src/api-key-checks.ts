import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@monitor/contracts';
import { ApiKeyRejectedError } from './alert-errors';
import { ApiKeyPrincipal, ApiKeyRole } from './api-key.port';
import { BOOTSTRAP_ADMIN_KEY_ID, apiKeyIdOf, hashApiKey, mintApiKey } from './api-key-secret';

/** A stored key as a registry finds it by id: its hash, never the key. */
export interface StoredApiKey {
  keyId: string;
  hash: Buffer;
  role: ApiKeyRole;
  revoked: boolean;
}

/** A key just minted: the secret for its owner, the rest for the store. */
export interface MintedApiKey {
  keyId: string;
  key: string;
  hash: Buffer;
  role: ApiKeyRole;
  label: string;
}

/**
 * What every API key registry does alike, whatever it stores keys in: the operator's key from
 * config, the checks on a new key, and resolving a presented key in constant time.
 */
export class ApiKeyChecks {
  private readonly adminHash: Buffer | null;
  // Compared against when a key id is unknown, so that a miss costs what a hit costs.
  private readonly decoy = hashApiKey(randomBytes(32).toString('hex'));

  /** `adminKey`: the operator's key (ADMIN_API_KEY), at least 16 characters; optional. */
  constructor(adminKey?: string) {
    if (adminKey !== undefined && adminKey.length < 16) throw new ValidationError('ADMIN_API_KEY: at least 16 characters', 'ADMIN_API_KEY');
    this.adminHash = adminKey ? hashApiKey(adminKey) : null;
  }

  /** Validates the request and mints the key. */
  mint(input: { role: ApiKeyRole; label?: string }): MintedApiKey {
    if (input.role !== 'analyst' && input.role !== 'admin') throw new ValidationError('role: analyst or admin', 'role');
    const label = (input.label ?? '').trim();
    if (label.length > 200) throw new ValidationError('label: at most 200 characters', 'label');
    const { keyId, key } = mintApiKey();
    return { keyId, key, hash: hashApiKey(key), role: input.role, label };
  }

  /** The principal behind a presented key, found through `lookup` by the id it names; ApiKeyRejectedError when there is none. */
  async resolve(presented: string | undefined | null, lookup: (keyId: string) => Promise<StoredApiKey | null>): Promise<ApiKeyPrincipal> {
    if (!presented) throw new ApiKeyRejectedError('missing API key');
    const hash = hashApiKey(presented);
    if (this.adminHash && timingSafeEqual(hash, this.adminHash)) return { keyId: BOOTSTRAP_ADMIN_KEY_ID, role: 'admin' };
    const keyId = apiKeyIdOf(presented);
    const stored = keyId ? await lookup(keyId) : null;
    const equal = timingSafeEqual(hash, stored ? stored.hash : this.decoy);
    if (!stored || !equal || stored.revoked) throw new ApiKeyRejectedError('invalid API key');
    return { keyId: stored.keyId, role: stored.role };
  }
}
