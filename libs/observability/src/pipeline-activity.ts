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

export class PipelineActivity {
  private readonly events = new Map<string, number[]>();
  private readonly deadLetters: DeadLetterRecord[] = [];
  private readonly deadLetterCounts = new Map<string, number>();
  private lastBulk: { size: number; ms: number; at: string } | null = null;

  recordEvents(stage: string, count: number, now = Date.now()): void {
    const stamps = this.events.get(stage) ?? [];
    for (let i = 0; i < count; i++) stamps.push(now);
    this.events.set(stage, stamps.filter((t) => now - t < 60_000).slice(-50_000));
  }

  recordDeadLetter(record: DeadLetterRecord): void {
    this.deadLetters.unshift(record);
    this.deadLetters.length = Math.min(this.deadLetters.length, 20);
    this.deadLetterCounts.set(record.topic, (this.deadLetterCounts.get(record.topic) ?? 0) + 1);
  }

  recordBulk(size: number, ms: number): void {
    this.lastBulk = { size, ms, at: new Date().toISOString() };
  }

  snapshot(now = Date.now()): {
    eventsPerSecond: Record<string, number>;
    deadLetters: { counts: Record<string, number>; latest: DeadLetterRecord[] };
    lastBulk: { size: number; ms: number; at: string } | null;
  } {
    const eventsPerSecond: Record<string, number> = {};
    for (const [stage, stamps] of this.events) {
      eventsPerSecond[stage] = stamps.filter((t) => now - t < 10_000).length / 10;
    }
    return {
      eventsPerSecond,
      deadLetters: { counts: Object.fromEntries(this.deadLetterCounts), latest: [...this.deadLetters] },
      lastBulk: this.lastBulk,
    };
  }
}

export const PIPELINE_ACTIVITY = Symbol('PIPELINE_ACTIVITY');
