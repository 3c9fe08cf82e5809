import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BUS_TOPICS, RawArticle, SOURCE_OWNERS_GROUP, SOURCES_TOPIC, errorCode } from '@monitor/contracts';
import { MONITOR_CONFIG, MonitorConfig, parseHostAllowList } from '@monitor/config';
import {
  DEFAULT_USER_AGENT,
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
import { ConsumerHandle, MESSAGE_BUS, MessageBus, PartitionAssignment, partitionForKey, publishEvents } from '@monitor/messaging';
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
/** The sources this collector replica polls on schedule, and the partitions of sources.v1 that make them its own. */
export interface SourceOwnership {
  /** False in embedded mode, where the one collector owns every source. */
  shared: boolean;
  partitions: number[];
  partitionCount: number;
  sources: string[];
}

@Injectable()
export class CollectorStage implements SourceOperations, OnApplicationBootstrap, OnApplicationShutdown {
  readonly poller: FeedPoller;
  /**
   * Stack mode: this replica's share of the sources, from its group's assignment of sources.v1
   * (none until the group assigned it some). Undefined in embedded mode: every source is its own.
   */
  private assignment?: PartitionAssignment;
  private owners?: ConsumerHandle;

  constructor(
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(SourceRegistry) readonly registry: SourceRegistry,
    @Inject(SOURCE_STATE) state: SourceStateStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MONITOR_METRICS) metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {
    const fetcher = new FeedFetcher({
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.FETCH_MAX_BYTES,
      allowPrivateHosts: parseHostAllowList(config.ALLOW_PRIVATE_FEED_HOSTS),
      userAgent: config.FETCH_USER_AGENT,
    });
    if (config.MONITOR_MODE === 'stack') this.assignment = { partitions: [], partitionCount: 0 };
    this.poller = new FeedPoller({
      owns: (sourceId) => this.owns(sourceId),
      sources: this.registry,
      store: state,
      hostGapMs: config.FETCH_HOST_GAP_MS,
      // robots.txt groups are matched by the product token of the User-Agent the fetcher sends.
      userAgent: config.FETCH_USER_AGENT ?? DEFAULT_USER_AGENT,
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

  ownership(): SourceOwnership {
    const sources = this.registry.list().filter((source) => this.owns(source.id)).map((source) => source.id);
    if (!this.assignment) return { shared: false, partitions: [], partitionCount: 0, sources };
    return { shared: true, ...this.assignment, sources };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.POLLING) {
      this.logger.info('scheduled polling is off (POLLING=false); sources poll only on request');
      return;
    }
    if (this.assignment) await this.joinSourceOwners();
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Leaving the group first hands this replica's sources to the others at once, not after a session timeout.
    await this.owners?.stop();
    await this.poller.stop();
  }

  private owns(sourceId: string): boolean {
    if (!this.assignment) return true;
    const { partitions, partitionCount } = this.assignment;
    return partitionCount > 0 && partitions.includes(partitionForKey(sourceId, partitionCount));
  }

  /**
   * The collectors of one monitor share its sources through their group on sources.v1: a source
   * is this replica's while the group assigns it the partition the source's id maps to, and when a
   * replica dies the broker hands its partitions, so its sources, to the others. The messages
   * themselves are read by the source registry; this consumer only holds the membership.
   */
  private async joinSourceOwners(): Promise<void> {
    this.owners = await this.bus.consume({
      topic: SOURCES_TOPIC,
      group: SOURCE_OWNERS_GROUP,
      handleBatch: async () => undefined,
      onAssignment: (assignment) => {
        this.assignment = assignment;
        this.logger.info({ partitions: assignment.partitions, partitionCount: assignment.partitionCount, sources: this.ownership().sources.length }, 'collector: sources assigned');
        this.poller.rescan();
      },
    });
  }
}
