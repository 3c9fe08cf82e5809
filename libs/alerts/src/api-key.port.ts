/**
 * API keys: every caller of the API presents one; subscriptions and alerts belong to the key that
 * made them. Only a hash of each secret is stored, so a copy of the database grants nothing.
 */
export const API_KEYS = Symbol('API_KEYS');

export type ApiKeyRole = 'analyst' | 'admin';

export interface ApiKeyPrincipal {
  keyId: string;
  role: ApiKeyRole;
}

export interface ApiKeyInfo extends ApiKeyPrincipal {
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The only moment the secret exists outside its owner's hands. */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string;
}

export interface ApiKeyRegistry {
  create(input: { role: ApiKeyRole; label?: string }): Promise<CreatedApiKey>;
  /** The principal behind a presented key; rejects with ApiKeyRejectedError when it is missing, unknown or revoked. */
  resolve(presented: string | undefined | null): Promise<ApiKeyPrincipal>;
  list(): Promise<ApiKeyInfo[]>;
  /** False when the key id is unknown or already revoked. */
  revoke(keyId: string): Promise<boolean>;
}
