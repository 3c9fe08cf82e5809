/**
 * Per-host politeness: at most one request at a time to a host, and a minimum gap between the end
 * of one and the start of the next. Hand-written (a promise chain per host) rather than
 * Bottleneck: that package has had no release since 2019, and this needs neither its clustering
 * nor its reservoirs, only a queue keyed by host.
 */
export class HostQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastEnd = new Map<string, number>();

  constructor(
    private readonly minGapMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `gapMs`: a longer gap this request must keep after the previous one to its host (a site's Crawl-delay). */
  run<T>(url: string, task: () => Promise<T>, gapMs = 0): Promise<T> {
    const host = hostOf(url);
    const previous = this.tails.get(host) ?? Promise.resolve();
    const result = previous.then(async () => {
      const wait = (this.lastEnd.get(host) ?? -Infinity) + Math.max(this.minGapMs, gapMs) - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        return await task();
      } finally {
        this.lastEnd.set(host, this.now());
      }
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(host, tail);
    void tail.then(() => {
      if (this.tails.get(host) === tail) this.tails.delete(host);
    });
    return result;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
