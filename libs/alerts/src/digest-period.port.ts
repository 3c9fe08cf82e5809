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

/**
 * There is no transaction around "find the previous digest, compose, record, enqueue its
 * deliveries": replicas on different hosts share a network store that has none. Correctness comes
 * from ids instead. A digest's id follows from its subscription and period, and it is created
 * create-only, so of replicas racing for one period exactly one digest exists and every racer gets
 * that one back. Its deliveries are enqueued after it, under ids derived from the digest id, by
 * every replica that finds the digest (the maker and the racers that lost): a crash between the
 * digest and its deliveries is repaired by the next one to look, and a row enqueued twice is one row.
 */
export interface DigestPeriodStore {
  /** The seq the subscription's latest digest ended at (toSeq), 0 before its first. */
  lastCoveredSeq(subscriptionId: string): Promise<number>;
  /**
   * Creates the digest unless one with its id exists: `isNew` says whether this call made it, and
   * `period` is the stored one (another replica's when it won).
   */
  create(period: DigestPeriod): Promise<{ isNew: boolean; period: DigestPeriod }>;
  get(id: string): Promise<DigestPeriod | null>;
}
