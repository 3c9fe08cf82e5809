/**
 * Every push delivery (webhook, email) and every attempt at it, so that nothing fails silently:
 * a row is written 'pending' when a delivery worker takes the alert from alerts.v1 (its id follows
 * from the alert and channel, so writing it again for a redelivered alert is harmless and keeps
 * what the row says: a delivered row is not sent again), each attempt counts and keeps its error,
 * and the row ends 'delivered' or 'failed' with the reason. Pending rows survive a crash and are
 * resumed; a lease keeps two replicas from sending one row, and a lease set to a later time parks
 * a row until then (AlertDispatcher.run).
 */
export const DELIVERY_LOG = Symbol('DELIVERY_LOG');

export type PushChannel = 'webhook' | 'email';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryKey {
  /** The alert id, or the digest id for a digest. */
  alertId: string;
  channel: PushChannel;
}

export interface NewDelivery extends DeliveryKey {
  kind: 'alert' | 'digest';
  subscriptionId: string;
  ownerKeyId: string;
}

export interface DeliveryRecord extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** A failed row whose dead letter is not published yet. */
  deadLetterPending: boolean;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface DeliveryQuery {
  ownerKeyId?: string;
  subscriptionId?: string;
  status?: DeliveryStatus;
  limit?: number;
}

export interface DeliveryLog {
  /** Adds pending rows; a row that exists already is left as it is. Resolves with the rows it added. */
  enqueue(deliveries: NewDelivery[]): Promise<NewDelivery[]>;
  /** Takes a pending row for `leaseMs` if nobody holds it; false when another worker does or it is done. */
  claim(key: DeliveryKey, leaseMs: number): Promise<boolean>;
  /** Pending rows whose lease has run out (crashed or stopped workers), claimed for `leaseMs`. */
  claimStale(limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  /**
   * Extends to `leaseMs` from now the leases on these rows (pending, or waiting for their dead
   * letter) that have not run out yet: a live worker's heartbeat.
   */
  renew(keys: DeliveryKey[], leaseMs: number): Promise<void>;
  /**
   * Counts an attempt about to be made, if the row is pending and has made fewer than
   * `maxAttempts`: resolves with the attempt's number (1 for the first), or null when the row has
   * ended or its attempts are spent. Atomic, and counted before the attempt rather than after, so
   * that two replicas holding one row (the first one's lease ran out while it was still sending,
   * say in a consumer-group rebalance) cannot make more than `maxAttempts` between them.
   */
  startAttempt(key: DeliveryKey, maxAttempts: number): Promise<number | null>;
  /** Keeps the error of the attempt just made as the row's last error, while the row is pending. */
  recordError(key: DeliveryKey, error: string): Promise<void>;
  /** Gives up this worker's lease on a pending row (or one waiting for its dead letter), so that it can be resumed at once. */
  release(key: DeliveryKey): Promise<void>;
  markDelivered(key: DeliveryKey): Promise<void>;
  /**
   * Ends a pending row failed; resolves false when the row had already ended (another holder
   * ended it first), so that one failure publishes one dead letter. With `deadLetterLeaseMs`, the row also waits for its dead letter (an
   * outbox, like the pending rows): this worker holds it that long to publish the letter, then
   * markDeadLettered(); if it dies first, claimDeadLetters() hands the row to another.
   */
  markFailed(key: DeliveryKey, reason: string, deadLetterLeaseMs?: number): Promise<boolean>;
  /** Failed rows whose dead letter is still to be published and not held, claimed for `leaseMs`. */
  claimDeadLetters(limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  /** The row's dead letter is published. */
  markDeadLettered(key: DeliveryKey): Promise<void>;
  get(key: DeliveryKey): Promise<DeliveryRecord | null>;
  /** Newest first. */
  list(query: DeliveryQuery): Promise<DeliveryRecord[]>;
}
