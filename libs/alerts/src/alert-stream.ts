import type { IncomingMessage, ServerResponse } from 'node:http';
import { Alert, isRetriable } from '@monitor/contracts';
import { AlertLedger, LedgerEntry } from './alert-ledger.port';
import type { AlertDeliverer } from './alert-service';

export interface AlertStreamOptions {
  ledger: AlertLedger;
  /** Comment lines keep proxies from closing an idle stream; 15 s by default. */
  heartbeatMs?: number;
  /**
   * How often every stream looks in the ledger for alerts that another process recorded (replicas
   * publish only in their own process). 1 s by default; 0 turns it off.
   */
  pollMs?: number;
  /** The reconnection delay suggested to clients. */
  retryMs?: number;
  /** Entries read from the ledger per query. */
  batchSize?: number;
}

export interface ServeOptions {
  ownerKeyId: string;
  /** The client's Last-Event-ID (the seq of the last alert it has); absent means "from now on". */
  lastEventId?: string | null;
}

interface Stream {
  res: ServerResponse;
  ownerKeyId: string;
  lastSent: number;
  pumping: boolean;
  dirty: boolean;
  closed: boolean;
  heartbeat: NodeJS.Timeout;
  /** When this stream first saw each entry it holds back (see settled()), by seq. */
  firstSeen: Map<number, number>;
  /** Wakes the stream when the oldest entry held back has settled. */
  settleTimer?: NodeJS.Timeout;
}

/**
 * The SSE event name of an alert: `story.updated` for a later article of a story already alerted
 * (only subscriptions that asked for updates get them), `alert` for every other kind, so that a
 * client listening for `alert` sees each story once. Both share one sequence of ids.
 */
export function sseEventName(alert: Pick<Alert, 'kind'>): 'alert' | 'story.updated' {
  return alert.kind === 'story.updated' ? 'story.updated' : 'alert';
}

/** The client's resume point: the Last-Event-ID header (EventSource sends it on reconnect) or `?lastEventId=`. */
export function lastEventIdFrom(req: IncomingMessage): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lastEventId');
  return query ?? undefined;
}

/**
 * Server-Sent Events, one stream per API key with every alert of its subscriptions. Every stream
 * reads from the ledger, never from what was published: `publish` only wakes the streams of the
 * alert's owner, which then send what the ledger holds after their last sent seq. Replay after
 * Last-Event-ID and live alerts are therefore the same query, so the seam between them can have
 * neither a gap nor a duplicate, and alerts recorded by another replica reach the stream too.
 *
 * The cursor (the last sent seq, the client's Last-Event-ID) moves past an entry only when every
 * entry before it is surely visible, so a resume on any api replica returns exactly what follows.
 * With a ledger whose searches may show seq n + 1 before n (Elasticsearch: n is written by another
 * alerter and not refreshed yet; the ledger says so with visibilityLagMs), an entry is sent only
 * once this stream has seen it for visibilityLagMs: by then whatever had a lower seq is visible
 * too, and since every read starts again after the last sent seq, it comes first. Measured on the
 * clock of the reader alone (no clock of the writers is trusted), it delays alerts by that lag.
 */
export class AlertStreamHub implements AlertDeliverer {
  private readonly streams = new Map<string, Set<Stream>>();
  private readonly heartbeatMs: number;
  private readonly retryMs: number;
  private readonly batchSize: number;
  private readonly poller: NodeJS.Timeout | null;

  constructor(private readonly options: AlertStreamOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.retryMs = options.retryMs ?? 3_000;
    this.batchSize = options.batchSize ?? 200;
    const pollMs = options.pollMs ?? 1_000;
    this.poller = pollMs > 0 ? setInterval(() => this.wakeAll(), pollMs) : null;
    this.poller?.unref();
  }

  /** Serves one SSE stream on a Node (or Express) response until the client goes away. */
  async serve(res: ServerResponse, options: ServeOptions): Promise<void> {
    const parsed = Number(options.lastEventId);
    const resumeFrom =
      options.lastEventId != null && options.lastEventId !== '' && Number.isSafeInteger(parsed) && parsed >= 0
        ? parsed
        : await this.options.ledger.latestSeq(options.ownerKeyId);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${this.retryMs}\n: alerts for ${options.ownerKeyId}\n\n`);
    const stream: Stream = {
      res,
      ownerKeyId: options.ownerKeyId,
      lastSent: resumeFrom,
      pumping: false,
      dirty: false,
      closed: false,
      firstSeen: new Map(),
      heartbeat: setInterval(() => {
        if (!stream.closed) res.write(': heartbeat\n\n');
      }, this.heartbeatMs),
    };
    let set = this.streams.get(stream.ownerKeyId);
    if (!set) this.streams.set(stream.ownerKeyId, (set = new Set()));
    set.add(stream);
    const done = () => this.drop(stream);
    res.on('close', done);
    res.on('error', done);
    void this.pump(stream);
  }

  /** Wakes the streams of the alert's owner; they read the ledger, which already holds the alert. */
  publish(alert: Pick<Alert, 'ownerKeyId'>): void {
    for (const stream of this.streams.get(alert.ownerKeyId) ?? []) void this.pump(stream);
  }

  deliver(fresh: LedgerEntry[]): void {
    for (const owner of new Set(fresh.map((e) => e.alert.ownerKeyId))) this.publish({ ownerKeyId: owner });
  }

  connectionCount(ownerKeyId?: string): number {
    if (ownerKeyId) return this.streams.get(ownerKeyId)?.size ?? 0;
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  /** Ends every stream (shutdown); clients reconnect elsewhere with their Last-Event-ID. */
  close(): void {
    if (this.poller) clearInterval(this.poller);
    for (const set of [...this.streams.values()]) {
      for (const stream of [...set]) {
        stream.res.end();
        this.drop(stream);
      }
    }
  }

  private wakeAll(): void {
    for (const set of this.streams.values()) for (const stream of set) void this.pump(stream);
  }

  private async pump(stream: Stream): Promise<void> {
    if (stream.closed) return;
    if (stream.pumping) {
      stream.dirty = true;
      return;
    }
    stream.pumping = true;
    try {
      do {
        stream.dirty = false;
        for (;;) {
          const read = await this.options.ledger.afterSeq(stream.ownerKeyId, stream.lastSent, this.batchSize);
          const entries = this.settled(stream, read);
          let writable = true;
          for (const entry of entries) {
            if (stream.closed) return;
            writable = stream.res.write(`id: ${entry.seq}\nevent: ${sseEventName(entry.alert)}\ndata: ${JSON.stringify(entry.alert)}\n\n`);
            stream.lastSent = entry.seq;
            stream.firstSeen.delete(entry.seq);
          }
          // A slow client gets no more until its socket drains, instead of piling up in memory.
          if (!writable && !stream.closed) await new Promise<void>((resolve) => stream.res.once('drain', resolve).once('close', resolve));
          if (read.length < this.batchSize || entries.length < read.length) break;
        }
      } while (stream.dirty && !stream.closed);
    } catch (error) {
      // A ledger that is away for a while (Elasticsearch restarting) is no reason to hang up:
      // the stream keeps its cursor and the next wake-up reads on from it. Anything else ends it,
      // and the client resumes with its Last-Event-ID.
      if (!isRetriable(error)) {
        stream.res.destroy(error as Error);
        this.drop(stream);
      }
    } finally {
      stream.pumping = false;
    }
  }

  /**
   * The leading entries of `read` this stream has seen for the ledger's visibility lag (all of
   * them when it has none); the rest wait, and the stream wakes when the first of them is due.
   */
  private settled(stream: Stream, read: LedgerEntry[]): LedgerEntry[] {
    const lag = this.options.ledger.visibilityLagMs ?? 0;
    if (lag <= 0) return read;
    const now = Date.now();
    let ready = 0;
    while (ready < read.length && now - (stream.firstSeen.get(read[ready].seq) ?? now) >= lag) ready += 1;
    for (const entry of read.slice(ready)) if (!stream.firstSeen.has(entry.seq)) stream.firstSeen.set(entry.seq, now);
    if (ready < read.length && !stream.settleTimer) {
      const due = stream.firstSeen.get(read[ready].seq)! + lag - now;
      stream.settleTimer = setTimeout(() => {
        stream.settleTimer = undefined;
        void this.pump(stream);
      }, Math.max(1, due));
      stream.settleTimer.unref();
    }
    return read.slice(0, ready);
  }

  private drop(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearInterval(stream.heartbeat);
    clearTimeout(stream.settleTimer);
    const set = this.streams.get(stream.ownerKeyId);
    set?.delete(stream);
    if (set?.size === 0) this.streams.delete(stream.ownerKeyId);
  }
}
