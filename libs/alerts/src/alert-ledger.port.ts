import { Alert } from '@monitor/contracts';

/**
 * The record of every alert ever raised, one per subscription and subject (the article id, or a
 * spike key). Writing it is what decides that an alert exists: a second write of the same pair is
 * refused, so redelivery, re-polling, restarts, re-classification and replicas raise nothing twice.
 * Each alert gets a sequence number that only grows; it is the SSE event id.
 */
export const ALERT_LEDGER = Symbol('ALERT_LEDGER');

export interface LedgerEntry {
  seq: number;
  alert: Alert;
}

export interface LedgerWrite {
  subscriptionId: string;
  /** The article id, or for spike alerts `spike:<topic>:<day>`. */
  subjectId: string;
  alert: Alert;
}

export interface RecordResult {
  isNew: boolean;
  /** The stored entry: the new one, or the one recorded first for this pair. */
  entry: LedgerEntry;
}

export interface AlertLedger {
  record(subscriptionId: string, subjectId: string, alert: Alert): RecordResult;
  /**
   * Records several in one transaction. `within` runs inside it with the new entries, so a store
   * sharing the transaction (the delivery outbox) commits or rolls back together with the ledger.
   */
  recordMany(writes: LedgerWrite[], within?: (fresh: LedgerEntry[]) => void): RecordResult[];
  /** An owner's alerts with seq > afterSeq, oldest first (SSE replay). */
  afterSeq(ownerKeyId: string, afterSeq: number, limit?: number): LedgerEntry[];
  /** The highest seq of an owner's alerts (0 when none). */
  latestSeq(ownerKeyId: string): number;
  /** One subscription's alerts with seq > afterSeq, oldest first (digests). */
  forSubscription(subscriptionId: string, afterSeq?: number, limit?: number): LedgerEntry[];
  /** One subscription's latest alerts, newest first (Atom feed). */
  latestForSubscription(subscriptionId: string, limit: number): LedgerEntry[];
  getByAlertId(alertId: string): LedgerEntry | null;
  /** The latest alerts of every owner, newest first (the ops dashboard). */
  latest(limit: number): LedgerEntry[];
}
