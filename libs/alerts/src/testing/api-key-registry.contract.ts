import { ValidationError } from '@monitor/contracts';
import { ApiKeyRejectedError } from '../alert-errors';
import { ApiKeyRegistry } from '../api-key.port';

export interface ApiKeyRegistryContext {
  /** An empty registry; with `adminKey`, the operator's key from config. */
  create(options: { adminKey?: string }): Promise<ApiKeyRegistry> | ApiKeyRegistry;
}

/** The behaviour every adapter of the API key registry must show, written against the port only. */
export function describeApiKeyRegistryContract(name: string, context: ApiKeyRegistryContext): void {
  describe(`ApiKeyRegistry contract: ${name}`, () => {
    it('returns the secret once and resolves it to key id and role', async () => {
      const keys = await context.create({});
      const created = await keys.create({ role: 'analyst', label: ' desk A ' });
      expect(created).toMatchObject({ key: expect.stringMatching(/^mon_k[0-9a-f]{12}_/), role: 'analyst', label: 'desk A', revokedAt: null });
      expect(await keys.resolve(created.key)).toEqual({ keyId: created.keyId, role: 'analyst' });
      expect(await keys.list()).toEqual([{ keyId: created.keyId, role: 'analyst', label: 'desk A', createdAt: created.createdAt, revokedAt: null }]);
    });

    it('rejects missing, unknown, tampered and revoked keys', async () => {
      const keys = await context.create({});
      const created = await keys.create({ role: 'analyst' });
      const tampered = created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A');
      for (const bad of [undefined, '', 'nonsense', tampered, created.key.replace(created.keyId, 'k000000000000')]) {
        await expect(keys.resolve(bad)).rejects.toThrow(ApiKeyRejectedError);
      }
      expect(await keys.revoke(created.keyId)).toBe(true);
      expect(await keys.revoke(created.keyId)).toBe(false);
      expect(await keys.revoke('k-unknown')).toBe(false);
      await expect(keys.resolve(created.key)).rejects.toThrow(ApiKeyRejectedError);
      expect((await keys.list())[0].revokedAt).not.toBeNull();
    });

    it('accepts the operator admin key and mints admin keys; refuses unknown roles and long labels', async () => {
      const keys = await context.create({ adminKey: 'operator-secret-0123456789' });
      expect(await keys.resolve('operator-secret-0123456789')).toEqual({ keyId: 'admin', role: 'admin' });
      expect((await keys.resolve((await keys.create({ role: 'admin' })).key)).role).toBe('admin');
      await expect(keys.create({ role: 'root' as never })).rejects.toThrow(expect.objectContaining({ constructor: ValidationError, field: 'role' }));
      await expect(keys.create({ role: 'analyst', label: 'x'.repeat(201) })).rejects.toThrow(expect.objectContaining({ field: 'label' }));
    });
  });
}
