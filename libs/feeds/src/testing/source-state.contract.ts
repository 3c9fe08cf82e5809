import { emptyHealth } from '../source-health';
import type { SourceStateStore } from '../source-state.port';

/** The behaviour every SourceStateStore adapter must have; run by each adapter's spec or test. */
export function describeSourceStateContract(name: string, create: () => Promise<SourceStateStore>): void {
  describe(`SourceStateStore contract: ${name}`, () => {
    it('answers an empty health for a source never polled, and keeps what was saved', async () => {
      const store = await create();
      expect(await store.getHealth('never')).toEqual(emptyHealth('never'));
      const health = { ...emptyHealth('s1'), status: 'failing' as const, consecutiveFailures: 3, lastError: { code: 'FETCH_FAILED', message: 'HTTP 503' } };
      await store.saveHealth(health);
      expect(await store.getHealth('s1')).toEqual(health);
      await store.saveHealth({ ...health, status: 'healthy', consecutiveFailures: 0, lastError: null });
      expect((await store.getHealth('s1')).status).toBe('healthy');
    });

    it('keeps conditional-GET validators per URL', async () => {
      const store = await create();
      expect(await store.getConditional('https://example.org/feed')).toEqual({});
      await store.saveConditional('https://example.org/feed', { etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
      expect(await store.getConditional('https://example.org/feed')).toEqual({ etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
      await store.saveConditional('https://example.org/feed', { etag: '"v2"' });
      expect(await store.getConditional('https://example.org/feed')).toEqual({ etag: '"v2"', lastModified: null });
    });

    it('filters out seen ids in their given order, and marking twice keeps the first time', async () => {
      const store = await create();
      const day = new Date('2026-12-01T00:00:00Z');
      await store.markSeen([{ articleId: 'a2', sourceId: 's1', url: 'https://example.org/2' }], day);
      expect(await store.filterUnseen(['a3', 'a2', 'a1'])).toEqual(['a3', 'a1']);
      await store.markSeen([{ articleId: 'a2', sourceId: 's1', url: 'https://example.org/2' }], new Date('2026-12-03T00:00:00Z'));
      expect(await store.countSeenSince('s1', new Date('2026-12-02T00:00:00Z'))).toBe(0);
      expect(await store.countSeenSince('s1', day)).toBe(1);
      expect(await store.countSeenSince('s2', day)).toBe(0);
    });
  });
}
