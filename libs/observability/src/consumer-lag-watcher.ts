import type { MonitorMetrics } from './monitor-metrics';
import type { LagInput } from './ops-overview';

export type LagReader = (group: string, topic: string) => Promise<LagInput[]>;

export interface LagSnapshot {
  rows: LagInput[];
  checkedAt: string | null;
  error: string | null;
}

/**
 * Reads the consumer lag of the watched groups now and then, keeps the latest answer for the
 * dashboard and sets the `monitor_consumer_lag` gauge. Reading lag asks the broker (Kafka admin
 * offsets), so it runs on a timer instead of on every dashboard request or scrape.
 */
export class ConsumerLagWatcher {
  private latest: LagSnapshot = { rows: [], checkedAt: null, error: null };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<LagSnapshot> | null = null;

  constructor(
    private readonly options: {
      read: LagReader;
      consumers: ReadonlyArray<{ group: string; topic: string }>;
      metrics?: MonitorMetrics;
      intervalMs?: number;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  snapshot(): LagSnapshot {
    return this.latest;
  }

  /** One reading of every watched group; concurrent callers share it. */
  refresh(): Promise<LagSnapshot> {
    this.running ??= this.read().finally(() => (this.running = null));
    return this.running;
  }

  private async read(): Promise<LagSnapshot> {
    const at = new Date().toISOString();
    const results = await Promise.allSettled(this.options.consumers.map(({ group, topic }) => this.options.read(group, topic)));
    const rows: LagInput[] = [];
    const errors: string[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') rows.push(...result.value);
      else errors.push(`${this.options.consumers[i].group}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
    });
    for (const row of rows) this.options.metrics?.consumerLag.set({ group: row.group, topic: row.topic, partition: String(row.partition) }, row.lag);
    // A failed reading keeps the last good rows: "unknown" is shown as the error, not as zero lag.
    this.latest = errors.length === results.length && results.length > 0
      ? { rows: this.latest.rows, checkedAt: this.latest.checkedAt, error: errors.join('; ') }
      : { rows, checkedAt: at, error: errors.length ? errors.join('; ') : null };
    return this.latest;
  }
}
