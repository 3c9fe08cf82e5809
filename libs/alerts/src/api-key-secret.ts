import { createHash, randomBytes } from 'node:crypto';

/** The key id of the operator's bootstrap key (ADMIN_API_KEY); it lives in config, never in a store. */
export const BOOTSTRAP_ADMIN_KEY_ID = 'admin';

// mon_<key id>_<secret>: the key id is public (it names the owner of subscriptions and lets a store
// find the key without comparing against every hash); only the whole key's SHA-256 is stored.
const KEY_PATTERN = /^mon_(k[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** The shape of a minted key's id (`k` and 12 hex digits); the bootstrap admin key's id is BOOTSTRAP_ADMIN_KEY_ID. */
export const API_KEY_ID_PATTERN = /^k[0-9a-f]{12}$/;

/** What a store keeps of a key: its SHA-256, never the key. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** A new key, with the id it is stored under. */
export function mintApiKey(): { keyId: string; key: string } {
  const keyId = 'k' + randomBytes(6).toString('hex');
  return { keyId, key: `mon_${keyId}_${randomBytes(32).toString('base64url')}` };
}

/** The id a presented key names, or null when it is not shaped like a minted key. */
export function apiKeyIdOf(presented: string): string | null {
  return KEY_PATTERN.exec(presented)?.[1] ?? null;
}
