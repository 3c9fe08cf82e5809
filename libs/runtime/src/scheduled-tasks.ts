import { Logger } from '@monitor/observability';

/**
 * Named tasks that run on a timer, one run of each at a time: a slow round (digests, a resume of
 * many deliveries) must not pile up behind the timer. A failed run is logged; the next tick tries again.
 */
export class ScheduledTasks {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Runs `run` now and then every `everyMs`; the timer does not keep a stopping process alive. */
  every(task: string, everyMs: number, run: () => Promise<unknown>): void {
    this.runOnce(task, run);
    const timer = setInterval(() => this.runOnce(task, run), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Starts `run` unless a run of the same task is still going. */
  runOnce(task: string, run: () => Promise<unknown>): void {
    if (this.busy.has(task)) return;
    this.busy.add(task);
    run()
      .catch((error: unknown) => this.logger.error({ err: error, task }, 'scheduled task failed'))
      .finally(() => this.busy.delete(task));
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
