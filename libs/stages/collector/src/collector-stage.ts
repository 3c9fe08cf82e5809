import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BUS_TOPICS, RawArticle, errorCode } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig, parseHostAllowList } from '@monitor/config';
import {
  FeedFetcher,
  FeedPoller,
  FetchOptions,
  FetchResult,
  PollerFetcher,
  SourceConfig,
  SOURCE_STATE,
  SourceRegistry,
  SourceStateStore,
} from '@monitor/feeds';
import { MESSAGE_BUS, MessageBus, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { SourceOperations } from './source-operations';

/**
 * Times every fetch and counts each poll's outcome per source, for /metrics and the dashboard. A
 * URL that is one of a source's candidates is a poll of that source; other fetches (article pages
 * behind a listing) are timed under their host.
 */
class InstrumentedFetcher implements PollerFetcher {
  constructor(
    private readonly inner: FeedFetcher,
    private readonly metrics: MonitorMetrics,
    private readonly sources: () => SourceConfig[],
  ) {}

  async fetch(url: string, options?: FetchOptions): Promise<FetchResult> {
    const polled = this.sources().find((source) => source.candidates.some((candidate) => candidate.url === url))?.id;
    const end = this.metrics.fetchDuration.startTimer({ source: polled ?? new URL(url).host });
    try {
      const result = await this.inner.fetch(url, options);
      if (polled) this.metrics.polls.inc({ source: polled, status: result.status });
      return result;
    } catch (error) {
      if (polled) this.metrics.polls.inc({ source: polled, status: errorCode(error) });
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
  readonly poller: FeedPoller;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(SourceRegistry) readonly registry: SourceRegistry,
    @Inject(SOURCE_STATE) state: SourceStateStore,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(MONITOR_METRICS) metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    const fetcher = new FeedFetcher({
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.FETCH_MAX_BYTES,
      allowPrivateHosts: parseHostAllowList(config.ALLOW_PRIVATE_FEED_HOSTS),
    });
    this.poller = new FeedPoller({
      sources: this.registry,
      store: state,
      hostGapMs: config.FETCH_HOST_GAP_MS,
      fetcher: new InstrumentedFetcher(fetcher, metrics, () => this.registry.list()),
      logger: {
        info: (fields, message) => logger.info(fields, message),
        warn: (fields, message) => logger.warn(fields, message),
      },
      publish: async (articles: RawArticle[]) => {
        // The trace id starts here and travels in the x-trace-id header through every later stage.
        const traceIds = new Map(articles.map((article) => [article.id, randomUUID()]));
        await publishEvents(bus, BUS_TOPICS.raw, articles, traceIds);
        for (const article of articles) {
          metrics.itemsPublished.inc({ source: article.sourceId });
          logger.debug({ articleId: article.id, traceId: traceIds.get(article.id), sourceId: article.sourceId, url: article.url }, 'collected');
        }
        metrics.eventsProcessed.inc({ stage: 'collector' }, articles.length);
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
