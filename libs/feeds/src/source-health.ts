export type SourceStatus = 'healthy' | 'failing' | 'backing-off' | 'disabled' | 'pending';

export interface CandidateAttempt {
  url: string;
  kind: 'feed' | 'listing';
  ok: boolean;
  error?: { code: string; message: string };
}

/**
 * What an operator sees for a source. `failing`: the last poll failed and the next attempt waits
 * out a growing backoff (`backingOffUntil`); `backing-off`: the server itself asked us to wait
 * (429/503 with Retry-After); `pending`: enabled but not polled yet.
 */
export interface SourceHealth {
  sourceId: string;
  status: SourceStatus;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string } | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  backingOffUntil: string | null;
  /** The candidate that answered last, and its kind. */
  activeUrl: string | null;
  activeKind: 'feed' | 'listing' | null;
  /** Every candidate tried in the last poll, in order, with its outcome. */
  lastAttempts: CandidateAttempt[];
  /** Items published for this source in the last 24 hours. */
  itemsLastDay: number;
}

export function emptyHealth(sourceId: string): SourceHealth {
  return {
    sourceId,
    status: 'pending',
    lastPollAt: null,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    backingOffUntil: null,
    activeUrl: null,
    activeKind: null,
    lastAttempts: [],
    itemsLastDay: 0,
  };
}
