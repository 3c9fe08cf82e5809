/**
 * A small in-process record of what each stage did lately (events per second, latest dead-letter
 * reasons, last bulk latency), for the ops endpoint and the dashboard. Prometheus keeps the
 * long history; this answers "is it moving right now" without a Prometheus server.
 */
export interface DeadLetterRecord {
  topic: string;
  reason: string;
  key: string;
  at: string;
}

export interface BulkRecord {
  size: number;
  ms: number;
  at: string;
}

/** What one process did lately; the api merges the snapshots of the stack's processes. */
export interface ActivitySnapshot {
  eventsPerSecond: Record<string, number>;
  deadLetters: { counts: Record<string, number>; latest: DeadLetterRecord[] };
  lastBulk: BulkRecord | null;
}

/** Events per second are averaged over this window. */
const RATE_WINDOW_SECONDS = 10;
const LATEST_DEAD_LETTERS = 20;

export class PipelineActivity {
  /** Per stage, events counted per whole second (epoch seconds): constant work per record at any rate. */
  private readonly events = new Map<string, Map<number, number>>();
  private readonly deadLetters: DeadLetterRecord[] = [];
  private readonly deadLetterCounts = new Map<string, number>();
  private lastBulk: BulkRecord | null = null;

  recordEvents(stage: string, count: number, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    let buckets = this.events.get(stage);
    if (!buckets) this.events.set(stage, (buckets = new Map()));
    buckets.set(second, (buckets.get(second) ?? 0) + count);
    for (const bucket of buckets.keys()) if (bucket <= second - RATE_WINDOW_SECONDS) buckets.delete(bucket);
  }

  recordDeadLetter(record: DeadLetterRecord): void {
    this.deadLetters.unshift(record);
    this.deadLetters.length = Math.min(this.deadLetters.length, LATEST_DEAD_LETTERS);
    this.deadLetterCounts.set(record.topic, (this.deadLetterCounts.get(record.topic) ?? 0) + 1);
  }

  recordBulk(size: number, ms: number): void {
    this.lastBulk = { size, ms, at: new Date().toISOString() };
  }

  snapshot(now = Date.now()): ActivitySnapshot {
    const second = Math.floor(now / 1000);
    const eventsPerSecond: Record<string, number> = {};
    for (const [stage, buckets] of this.events) {
      let total = 0;
      for (const [bucket, count] of buckets) if (bucket > second - RATE_WINDOW_SECONDS) total += count;
      eventsPerSecond[stage] = total / RATE_WINDOW_SECONDS;
    }
    return {
      eventsPerSecond,
      deadLetters: { counts: Object.fromEntries(this.deadLetterCounts), latest: [...this.deadLetters] },
      lastBulk: this.lastBulk,
    };
  }
}

/**
 * One view of several processes' activity (the stack's services, replicas included): rates and
 * dead-letter counts add up, the latest dead letters and the last bulk are the newest of any.
 */
export function mergeActivitySnapshots(snapshots: ActivitySnapshot[]): ActivitySnapshot {
  const eventsPerSecond: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const latest: DeadLetterRecord[] = [];
  let lastBulk: BulkRecord | null = null;
  for (const snapshot of snapshots) {
    for (const [stage, rate] of Object.entries(snapshot.eventsPerSecond)) eventsPerSecond[stage] = (eventsPerSecond[stage] ?? 0) + rate;
    for (const [topic, count] of Object.entries(snapshot.deadLetters.counts)) counts[topic] = (counts[topic] ?? 0) + count;
    latest.push(...snapshot.deadLetters.latest);
    if (snapshot.lastBulk && (!lastBulk || snapshot.lastBulk.at > lastBulk.at)) lastBulk = snapshot.lastBulk;
  }
  latest.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { eventsPerSecond, deadLetters: { counts, latest: latest.slice(0, LATEST_DEAD_LETTERS) }, lastBulk };
}

export const PIPELINE_ACTIVITY = Symbol('PIPELINE_ACTIVITY');
