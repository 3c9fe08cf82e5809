import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { MESSAGE_BUS, MessageBus, ReceivedEvent, publishEvents } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';
import { StoryDesk } from './story-desk';

/**
 * Consumes stories.queue.v1, one partition, so one member of the group holds it at a time and the
 * others wait as hot standbys; assigns each article its story (StoryDesk), records it in the story
 * store, writes the story id onto the articles already indexed (the indexer does it for those it
 * indexes later: see ArticleStore.setStories) and publishes story.assigned to stories.v1, keyed by
 * article. Commits after all of it: a crash replays the batch, which finds its articles in the
 * store and says the same again.
 */
@StageController()
export class StorytellerStage {
  constructor(
    @Inject(StoryDesk) private readonly desk: StoryDesk,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(ARTICLE_STORE) private readonly articles: ArticleStore,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.storyQueue, CONSUMER_GROUPS.storyteller), { maxBatchSize: 200 })
  async tell(@Payload() events: ReceivedEvent<'stories.queue.v1'>[]): Promise<void> {
    const assigned = await this.desk.assign(events.map(({ event, message }) => ({ item: event, partition: message.partition, offset: message.offset })));
    await this.articles.setStories(new Map(assigned.map((event) => [event.articleId, event.storyId])));
    const traceIds = new Map(events.map((received) => [received.event.id, received.traceId]));
    await publishEvents(this.bus, BUS_TOPICS.stories, assigned, traceIds, { keyOf: (event) => event.articleId });
    this.metrics.eventsProcessed.inc({ stage: 'stories' }, events.length);
    this.activity.recordEvents('stories', events.length);
    if (this.logger.isLevelEnabled('debug')) {
      for (const event of assigned) this.logger.debug({ articleId: event.articleId, storyId: event.storyId, created: event.created, traceId: traceIds.get(event.articleId) }, 'story assigned');
    }
  }
}
