import { DigestPeriod, DigestPeriodStore } from '../digest-period.port';

/** Digests in memory, for tests of what uses the port. */
export class MemoryDigestPeriods implements DigestPeriodStore {
  private readonly periods: DigestPeriod[] = [];

  record(subscriptionId: string, periodFrom: string, compose: (afterSeq: number) => DigestPeriod | null): DigestPeriod | null {
    const own = this.periods.filter((p) => p.subscriptionId === subscriptionId);
    if (own.some((p) => p.from === periodFrom)) return null;
    const period = compose(Math.max(0, ...own.map((p) => p.toSeq)));
    if (period) this.periods.push({ ...period });
    return period;
  }

  get(id: string): DigestPeriod | null {
    const period = this.periods.find((p) => p.id === id);
    return period ? { ...period } : null;
  }
}
