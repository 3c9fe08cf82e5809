import { DigestPeriod, DigestPeriodStore } from '../digest-period.port';

export interface DigestPeriodContext {
  /** An empty store. */
  create(): DigestPeriodStore;
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
    it('records one digest per subscription and period, each starting where the previous one ended', () => {
      const store = context.create();
      const afterSeqs: number[] = [];
      const first = period('s1', 0, 0, 7);
      expect(store.record('s1', first.from, (afterSeq) => (afterSeqs.push(afterSeq), first))).toEqual(first);
      expect(store.record('s1', first.from, () => period('s1', 0, 0, 9))).toBeNull();
      const second = period('s1', 1, 7, 12);
      store.record('s1', second.from, (afterSeq) => (afterSeqs.push(afterSeq), second));
      store.record('s2', period('s2', 1, 0, 3).from, (afterSeq) => (afterSeqs.push(afterSeq), period('s2', 1, afterSeq, 3)));
      expect(afterSeqs).toEqual([0, 7, 0]);
      expect(store.get(first.id)).toEqual(first);
      expect(store.get(second.id)).toEqual(second);
      expect(store.get('dg-unknown')).toBeNull();
    });

    it('records nothing when there is nothing to digest, so the period can still be made later', () => {
      const store = context.create();
      const later = period('s1', 0, 0, 4);
      expect(store.record('s1', later.from, () => null)).toBeNull();
      expect(store.record('s1', later.from, () => later)).toEqual(later);
    });

    it('records nothing when composing throws, and lets the error through', () => {
      const store = context.create();
      const p = period('s1', 0, 0, 4);
      expect(() =>
        store.record('s1', p.from, () => {
          throw new Error('delivery log down');
        }),
      ).toThrow('delivery log down');
      expect(store.record('s1', p.from, () => p)).toEqual(p);
    });
  });
}
