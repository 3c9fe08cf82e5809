import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS, storedArticleOf } from '@monitor/contracts';
import { FailedEvent, ReceivedEvent } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { ARTICLE_STORE, ArticleStore, STORY_STORE, StoryStore } from '@monitor/search';

/**
 * Consumes news.classified.v1 and writes the articles in bulk, document id = article id, so a
 * redelivered event replaces its document instead of doubling it. The batch is committed only
 * after the store acknowledged it (the transport commits when the handler resolves); items the
 * store refused for good go to the dead-letter topic, retriable failures replay the batch.
 * After the write, the articles whose story is already recorded get its id (the story stage does
 * the same for articles already indexed: see ArticleStore.setStories).
 */
@StageController()
export class IndexerStage {
  constructor(
    @Inject(ARTICLE_STORE) private readonly store: ArticleStore,
    @Inject(STORY_STORE) private readonly stories: StoryStore,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.classified, CONSUMER_GROUPS.indexer), { maxBatchSize: 1_000 })
  async index(@Payload() events: ReceivedEvent<'news.classified.v1'>[]): Promise<FailedEvent[]> {
    // The last event for an id wins: a batch may hold a re-classification of the same article.
    const latest = new Map<string, (typeof events)[number]>();
    for (const received of events) latest.set(received.event.id, received);
    const documents = [...latest.values()].map(({ event }) => storedArticleOf(event));
    const started = Date.now();
    const end = this.metrics.bulkDuration.startTimer();
    // Checked when read from the bus (consumeEvents): the store writes them without a second parse.
    const result = await this.store.upsertChecked(documents);
    const stories = await this.stories.storiesOf(result.written);
    if (stories.size > 0) await this.store.setStories(stories);
    end();
    this.metrics.bulkSize.observe(documents.length);
    this.activity.recordBulk(documents.length, Date.now() - started);
    this.metrics.eventsProcessed.inc({ stage: 'indexer' }, result.written.length);
    this.activity.recordEvents('indexer', result.written.length);
    if (this.logger.isLevelEnabled('debug')) {
      for (const id of result.written) this.logger.debug({ articleId: id, traceId: latest.get(id)?.traceId }, 'indexed');
    }
    return result.failed.map<FailedEvent>((failure) => ({ message: latest.get(failure.id)!.message, error: failure.error }));
  }
}
