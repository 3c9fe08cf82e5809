import { DigestPeriod, DigestPeriodStore } from '../digest-period.port';

export interface DigestPeriodContext {
  /** An empty store, and a second instance on the same data (another replica). */
  create(): Promise<{ store: DigestPeriodStore; another(): DigestPeriodStore }> | { store: DigestPeriodStore; another(): DigestPeriodStore };
}

const HOUR = 3_600_000;
const period = (subscriptionId: string, hour: number, fromSeq: number, toSeq: number): DigestPeriod => {
  const from = new Date(Date.parse('2025-03-01T00:00:00Z') + hour * HOUR).toISOString();
  return {
    id: `dg-${subscriptionId}-${hour}`, subscriptionId, mode: 'hourly', from, to: new Date(Date.parse(from) + HOUR).toISOString(),
    fromSeq, toSeq, createdAt: new Date(Date.parse(from) + HOUR + 60_000).toISOString(),
  };
};

/** The behaviour every adapter of the digest periods must show, written against the port only. */
export function describeDigestPeriodContract(name: string, context: DigestPeriodContext): void {
  describe(`DigestPeriodStore contract: ${name}`, () => {
    it('creates a digest once: a second create of its id returns the first, not new', async () => {
      const { store } = await context.create();
      const first = period('s1', 0, 0, 7);
      expect(await store.create(first)).toEqual({ isNew: true, period: first });
      expect(await store.create(period('s1', 0, 0, 9))).toEqual({ isNew: false, period: first });
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.get('dg-unknown')).toBeNull();
    });

    it('tells where each subscription\'s latest digest ended, 0 before its first', async () => {
      const { store } = await context.create();
      expect(await store.lastCoveredSeq('s1')).toBe(0);
      await store.create(period('s1', 0, 0, 7));
      await store.create(period('s1', 1, 7, 12));
      await store.create(period('s2', 1, 0, 3));
      expect(await store.lastCoveredSeq('s1')).toBe(12);
      expect(await store.lastCoveredSeq('s2')).toBe(3);
      expect(await store.lastCoveredSeq('s3')).toBe(0);
    });

    it('two replicas creating one period at once, with ranges that differ: one digest, the same for both', async () => {
      const { store, another } = await context.create();
      const other = another();
      const [mine, theirs] = await Promise.all([store.create(period('s1', 0, 0, 7)), other.create(period('s1', 0, 0, 8))]);
      expect([mine.isNew, theirs.isNew].filter(Boolean)).toHaveLength(1);
      expect(mine.period).toEqual(theirs.period);
      expect(await other.get(mine.period.id)).toEqual(mine.period);
      expect(await other.lastCoveredSeq('s1')).toBe(mine.period.toSeq);
    });
  });
}
