import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, fetch, RetryAgent } from 'undici';
import { MonitorError } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { PollOutcome, SOURCE_STATE, SourceHealth, SourceRegistry, SourceStateStore } from '@monitor/feeds';
import { SourceOperations } from './source-operations';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sources as the stack's api service sees them: the registry (the sources file and the changes on
 * sources.v1) and the health the collectors write to Elasticsearch, read here directly; "poll now"
 * is forwarded to a collector, the only service that fetches (whichever replica COLLECTOR_URL
 * reaches polls it, whether the source is its own or not: a poll is idempotent by article id).
 */
@Injectable()
export class RemoteSourceOperations implements SourceOperations, OnModuleDestroy {
  /**
   * A poll is idempotent by article id, so one the collector never answered because its
   * connection dropped (as when the collector closed an idle connection just as this request went
   * out on it) is sent once more. An answer, even a 5xx, is never retried: it is the caller's.
   */
  private readonly toCollector = new RetryAgent(new Agent(), {
    maxRetries: 1,
    minTimeout: 100,
    methods: ['POST'],
    statusCodes: [],
    errorCodes: ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'],
  });

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(SourceRegistry) readonly registry: SourceRegistry,
    @Inject(SOURCE_STATE) private readonly state: SourceStateStore,
  ) {}

  async health(sourceId: string): Promise<SourceHealth | undefined> {
    const source = this.registry.get(sourceId);
    if (!source) return undefined;
    // The same view FeedPoller.health gives in the collector process, from the same state.
    const [health, itemsLastDay] = await Promise.all([this.state.getHealth(sourceId), this.state.countSeenSince(sourceId, new Date(Date.now() - DAY_MS))]);
    return source.enabled ? { ...health, itemsLastDay } : { ...health, status: 'disabled', nextPollAt: null, itemsLastDay };
  }

  async pollNow(sourceId: string): Promise<PollOutcome> {
    const response = await fetch(`${this.config.COLLECTOR_URL}/sources/${encodeURIComponent(sourceId)}/poll`, {
      method: 'POST',
      headers: { 'X-API-Key': this.config.ADMIN_API_KEY ?? '' },
      signal: AbortSignal.timeout(this.config.FETCH_TIMEOUT_MS * 3),
      dispatcher: this.toCollector,
    }).catch((error: unknown) => {
      throw new MonitorError('COLLECTOR_UNREACHABLE', `the collector at ${this.config.COLLECTOR_URL} did not answer`, { retriable: true, cause: error });
    });
    if (!response.ok) throw new MonitorError('COLLECTOR_FAILED', `the collector answered ${response.status}`, { retriable: response.status >= 500 });
    return (await response.json()) as PollOutcome;
  }

  async onModuleDestroy(): Promise<void> {
    await this.toCollector.close();
  }
}
