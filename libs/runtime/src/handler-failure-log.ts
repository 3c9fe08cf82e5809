import { errorCode, isRetriable } from '@monitor/contracts';
import type { IncomingMessage } from '@monitor/messaging';
import type { Logger } from '@monitor/observability';

export interface HandlerFailureLogOptions {
  logger: Logger;
  /** At most one line per topic, group and error code in this window; the rest are counted. */
  windowMs?: number;
  now?: () => number;
}

/**
 * The one place that logs a stage handler that failed. During an outage a batch fails again on
 * every backoff round, on every partition: one line per topic, group and error code per window,
 * with how many failures it stands for, says as much as a thousand lines and stays readable.
 */
export class HandlerFailureLog {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly windows = new Map<string, { startedAt: number; suppressed: number }>();

  constructor(private readonly options: HandlerFailureLogOptions) {
    this.windowMs = options.windowMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  report(topic: string, group: string, error: unknown, batch: IncomingMessage[], attempt: number): void {
    const code = errorCode(error);
    const key = `${topic}\u0000${group}\u0000${code}`;
    const at = this.now();
    const window = this.windows.get(key);
    if (window && at - window.startedAt < this.windowMs) {
      window.suppressed += 1;
      return;
    }
    this.windows.set(key, { startedAt: at, suppressed: 0 });
    this.options.logger.error(
      {
        err: error,
        code,
        retriable: isRetriable(error),
        topic,
        group,
        attempt,
        batchSize: batch.length,
        firstKey: batch[0]?.key,
        alsoFailedSinceLastLine: window?.suppressed ?? 0,
      },
      'stage handler failed; the batch stays uncommitted and will be delivered again',
    );
  }
}
