import { Alert } from '@monitor/contracts';

/**
 * The record of every alert ever raised, one per subscription and subject (the article id, a
 * story key, or a spike key). Writing it is what decides that an alert exists: a second write of the same pair is
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
  /**
   * The article id; for a story alert `story:<storyId>` (one per subscription and story), for a
   * story update `story:<storyId>:<articleId>`; for spike alerts `spike:<topic>:<day>`.
   */
  subjectId: string;
  alert: Alert;
}

export interface RecordResult {
  isNew: boolean;
  /** The stored entry: the new one, or the one recorded first for this pair. */
  entry: LedgerEntry;
}

/**
 * Every method is asynchronous: an adapter may be a network store shared by replicas on several
 * hosts. There is no transaction spanning the ledger and another store (a network store has
 * none); what must follow an alert (its publication to alerts.v1) is done after it, under the
 * alert's id, and done again by whoever records the same pair later and is told it exists (see
 * AlertService.record), so a crash between the two is repaired, and the repeat is recognisable.
 */
export interface AlertLedger {
  record(subscriptionId: string, subjectId: string, alert: Alert): Promise<RecordResult>;
  /** Records several, in order; each pair is decided on its own (there is no all-or-nothing). */
  recordMany(writes: LedgerWrite[]): Promise<RecordResult[]>;
  /**
   * How long after a write a search may still miss it while showing a later seq (Elasticsearch:
   * a refresh interval and a margin); 0 or absent when seq order is visibility order (SQLite's
   * single writer). A reader that resumes after a seq (SSE) waits this long before it moves past
   * what it has seen.
   */
  readonly visibilityLagMs?: number;
  /** An owner's alerts with seq > afterSeq, oldest first (SSE replay). */
  afterSeq(ownerKeyId: string, afterSeq: number, limit?: number): Promise<LedgerEntry[]>;
  /** The highest seq of an owner's alerts (0 when none). */
  latestSeq(ownerKeyId: string): Promise<number>;
  /** One subscription's alerts with seq > afterSeq, oldest first (digests). */
  forSubscription(subscriptionId: string, afterSeq?: number, limit?: number): Promise<LedgerEntry[]>;
  /** One subscription's latest alerts, newest first (Atom feed). */
  latestForSubscription(subscriptionId: string, limit: number): Promise<LedgerEntry[]>;
  getByAlertId(alertId: string): Promise<LedgerEntry | null>;
  /** The latest alerts of every owner, newest first (the ops dashboard). */
  latest(limit: number): Promise<LedgerEntry[]>;
}
