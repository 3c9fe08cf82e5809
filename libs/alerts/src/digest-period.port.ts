import { DeliveryMode } from './subscription';

/**
 * The digests made so far: one per subscription and period, each naming the ledger range it
 * covers, so that the next digest starts where the previous one ended (an alert recorded late
 * goes into the next digest, none goes into two) and a digest's message can be rebuilt to resume
 * its delivery after a crash.
 */
export const DIGEST_PERIODS = Symbol('DIGEST_PERIODS');

export interface DigestPeriod {
  id: string;
  subscriptionId: string;
  mode: Exclude<DeliveryMode, 'immediate'>;
  /** ISO start and end of the period. */
  from: string;
  to: string;
  /** The ledger range covered: seq > fromSeq and seq <= toSeq. */
  fromSeq: number;
  toSeq: number;
  createdAt: string;
}

export interface DigestPeriodStore {
  /**
   * Records one subscription's digest for the period starting at `periodFrom`, unless there is one
   * already (another replica made it): then, or when `compose` returns null, nothing is recorded
   * and the result is null. `compose` gets the seq the subscription's previous digest ended at (0
   * for the first) and runs inside the store's transaction, so what it writes beside the digest
   * (its pending deliveries) exists if and only if the digest does.
   */
  record(subscriptionId: string, periodFrom: string, compose: (afterSeq: number) => DigestPeriod | null): DigestPeriod | null;
  get(id: string): DigestPeriod | null;
}
