import { Controller, Get, Inject, OnApplicationShutdown, OnModuleInit, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ALERT_LEDGER, AlertLedger, DELIVERY_LOG, DeliveryLog, spikeStats } from '@monitor/alerts';
import { TOPIC_IDS } from '@monitor/contracts';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import {
  ConsumerLagWatcher,
  MONITOR_METRICS,
  MonitorMetrics,
  OpsOverview,
  OpsStream,
  TimelineQuerySchema,
  TopicTimeline,
  WATCHED_CONSUMERS,
  buildOpsOverview,
  buildTopicTimeline,
  timelineStart,
} from '@monitor/observability';
import { SOURCE_OPERATIONS, SourceOperations } from '@monitor/collector-stage';
import { ApiEventStream, STAGE_ACTIVITY, StageActivity } from '@monitor/runtime';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';

class TimelineQuery extends createZodDto(TimelineQuerySchema) {}

const SPIKE_BASELINE_DAYS = 14;

/** What the ops dashboard shows, as JSON and as a live stream. Readable without a key, like /sources. */
@ApiTags('ops')
@Controller('ops')
export class OpsOverviewController implements OnModuleInit, OnApplicationShutdown {
  private readonly lag: ConsumerLagWatcher;
  private readonly stream = new OpsStream({ build: () => this.overview() });

  constructor(
    @Inject(SOURCE_OPERATIONS) private readonly sources: SourceOperations,
    @Inject(ARTICLE_STORE) private readonly store: ArticleStore,
    @Inject(ALERT_LEDGER) private readonly ledger: AlertLedger,
    @Inject(STAGE_ACTIVITY) private readonly activity: StageActivity,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(MONITOR_METRICS) metrics: MonitorMetrics,
    @Inject(DELIVERY_LOG) private readonly deliveries: DeliveryLog,
  ) {
    this.lag = new ConsumerLagWatcher({ read: (group, topic) => bus.lag(group, topic), consumers: WATCHED_CONSUMERS, metrics });
  }

  onModuleInit(): void {
    this.lag.start();
  }

  onApplicationShutdown(): void {
    this.lag.stop();
    this.stream.close();
  }

  @Get('overview')
  @ApiOperation({
    summary: 'Sources with health, pipeline activity, consumer lag, dead letters, recent alerts and push deliveries',
    description: 'Broken sources come first. Alerts show what they are about, not whose they are.',
  })
  async overview(): Promise<OpsOverview> {
    const { unreachable, ...activity } = await this.activity.read();
    return buildOpsOverview({
      sources: await Promise.all(this.sources.registry.list().map(async (source) => ({ ...source, health: await this.sources.health(source.id) }))),
      activity,
      unreachableStages: unreachable,
      lag: this.lag.snapshot(),
      alerts: (await this.ledger.latest(100)).map((entry) => entry.alert),
      deliveries: await this.deliveries.list({ limit: 500 }),
    });
  }

  @Get('topics/timeline')
  @ApiOperation({ summary: 'Articles per topic per day (UTC), with the days marked on which a topic spiked above its 14-day baseline' })
  async timeline(@Query() { days }: TimelineQuery): Promise<TopicTimeline> {
    const now = new Date();
    const from = timelineStart({ days, baselineDays: SPIKE_BASELINE_DAYS, now });
    const counts = await this.store.topicCountsByDay(`${from}T00:00:00.000Z`);
    return buildTopicTimeline(counts, { days, baselineDays: SPIKE_BASELINE_DAYS, now, topics: TOPIC_IDS, isSpike: (count, baseline) => spikeStats(count, baseline) });
  }

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-Sent Events: the overview (event `overview`) whenever it changes, checked every 2 s' })
  @ApiEventStream({
    description: 'An endless event stream',
    events: ['overview', 'error-report'],
    data: 'overview: the GET /ops/overview JSON; error-report: why the overview could not be built, as text',
    json: false,
  })
  live(@Res() res: Response): void {
    this.stream.serve(res);
  }
}
