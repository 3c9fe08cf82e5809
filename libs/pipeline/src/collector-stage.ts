import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { BUS_TOPICS, RawArticle, errorCode } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig, parseHostAllowList } from '@monitor/config';
import {
  FeedFetcher,
  FeedPoller,
  FetchOptions,
  FetchResult,
  PollerFetcher,
  SourceRegistry,
  SqliteSourceStateStore,
  loadSourcesFile,
} from '@monitor/feeds';
import { MESSAGE_BUS, MessageBus, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { SourceOperations } from './source-operations';
import { STATE_DB } from './state-database';

/** Times every fetch and counts its outcome per source host, for /metrics and the dashboard. */
class InstrumentedFetcher implements PollerFetcher {
  constructor(
    private readonly inner: FeedFetcher,
    private readonly metrics: MonitorMetrics,
  ) {}

  async fetch(url: string, options?: FetchOptions): Promise<FetchResult> {
    const source = new URL(url).host;
    const end = this.metrics.fetchDuration.startTimer({ source });
    try {
      const result = await this.inner.fetch(url, options);
      this.metrics.polls.inc({ source, status: result.status });
      return result;
    } catch (error) {
      this.metrics.polls.inc({ source, status: errorCode(error) });
      throw error;
    } finally {
      end();
    }
  }
}

/**
 * The collector stage: the sources in force (file defaults plus API changes), their poller, and
 * the hand-off of new items to news.raw.v1. Items are marked seen only after the bus accepted
 * them (FeedPoller's contract), so nothing is lost when the bus is down.
 */
@Injectable()
export class CollectorStage implements SourceOperations, OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry: SourceRegistry;
  readonly poller: FeedPoller;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(STATE_DB) db: Database.Database,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(MONITOR_METRICS) metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    this.registry = new SourceRegistry(db, loadSourcesFile(config.SOURCES_FILE));
    const fetcher = new FeedFetcher({
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.FETCH_MAX_BYTES,
      allowPrivateHosts: parseHostAllowList(config.ALLOW_PRIVATE_FEED_HOSTS),
    });
    this.poller = new FeedPoller({
      sources: this.registry,
      store: new SqliteSourceStateStore(db),
      hostGapMs: config.FETCH_HOST_GAP_MS,
      fetcher: new InstrumentedFetcher(fetcher, metrics),
      logger: {
        info: (fields, message) => logger.info(fields, message),
        warn: (fields, message) => logger.warn(fields, message),
      },
      publish: async (articles: RawArticle[]) => {
        await publishEvents(bus, BUS_TOPICS.raw, articles);
        for (const article of articles) {
          metrics.itemsPublished.inc({ source: article.sourceId });
          logger.debug({ articleId: article.id, sourceId: article.sourceId, url: article.url }, 'collected');
        }
        activity.recordEvents('collector', articles.length);
      },
    });
  }

  health(sourceId: string) {
    return this.poller.health(sourceId);
  }

  pollNow(sourceId: string) {
    return this.poller.pollNow(sourceId);
  }

  onApplicationBootstrap(): void {
    if (this.config.POLLING) this.poller.start();
    else this.logger.info('scheduled polling is off (POLLING=false); sources poll only on request');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }
}
