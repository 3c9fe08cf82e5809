import { DigestPeriod, DigestPeriodStore } from '../digest-period.port';

/** Digests in memory, for tests of what uses the port. */
export class MemoryDigestPeriods implements DigestPeriodStore {
  constructor(private readonly periods: DigestPeriod[] = []) {}

  /** Another instance over the same digests, as a replica sharing the store has. */
  sibling(): MemoryDigestPeriods {
    return new MemoryDigestPeriods(this.periods);
  }

  async lastCoveredSeq(subscriptionId: string): Promise<number> {
    return Math.max(0, ...this.periods.filter((p) => p.subscriptionId === subscriptionId).map((p) => p.toSeq));
  }

  async create(period: DigestPeriod): Promise<{ isNew: boolean; period: DigestPeriod }> {
    const existing = this.periods.find((p) => p.id === period.id);
    if (existing) return { isNew: false, period: { ...existing } };
    this.periods.push({ ...period });
    return { isNew: true, period: { ...period } };
  }

  async get(id: string): Promise<DigestPeriod | null> {
    const period = this.periods.find((p) => p.id === id);
    return period ? { ...period } : null;
  }
}
