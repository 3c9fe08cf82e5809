export type SourceStatus = 'healthy' | 'failing' | 'backing-off' | 'disabled' | 'pending';

export interface CandidateAttempt {
  url: string;
  kind: 'feed' | 'listing';
  ok: boolean;
  error?: { code: string; message: string };
}

/** An article page a poll did not read, and why (`ROBOTS_DISALLOWED`, `FETCH_HTTP_STATUS`, ...). */
export interface PageNotRead {
  url: string;
  code: string;
  message: string;
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
  /**
   * The article pages the last poll that read any could not read (a robots.txt that disallows
   * them, an error); those items went out with what the listing or feed gave. Empty when all were read.
   */
  pagesNotRead: PageNotRead[];
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
    pagesNotRead: [],
    itemsLastDay: 0,
  };
}
