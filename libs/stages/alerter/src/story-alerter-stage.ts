import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ReceivedEvent } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { AlertRecording } from './alert-recording';

/**
 * Consumes stories.v1 (story.assigned, keyed by article, in any partition, on any replica) and
 * alerts the per-story subscriptions: one `story` alert per subscription and story, whichever
 * replica sees a matching article of it first (the ledger decides), then `story.updated` alerts
 * for those that asked. Per-article subscriptions are the AlerterStage's, on news.classified.v1.
 * Alerts take the same way as the others: the ledger, alerts.v1, the delivery stage, SSE.
 */
@StageController()
export class StoryAlerterStage {
  constructor(
    @Inject(AlertRecording) private readonly recording: AlertRecording,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.stories, CONSUMER_GROUPS.storyAlerter), { maxBatchSize: 200 })
  async alert(@Payload() events: ReceivedEvent<'stories.v1'>[]): Promise<void> {
    const alerts = await this.recording.handleStories(events);
    const traceIds = new Map(events.map((received) => [received.event.articleId, received.traceId]));
    for (const alert of alerts) {
      this.metrics.alertsDelivered.inc({ channel: 'sse' });
      this.logger.info(
        { kind: alert.kind, articleId: alert.articleId, storyId: alert.storyId, subscriptionId: alert.subscriptionId, traceId: traceIds.get(alert.articleId ?? '') },
        'alert',
      );
    }
    this.metrics.eventsProcessed.inc({ stage: 'story-alerter' }, events.length);
    this.activity.recordEvents('story-alerter', events.length);
  }
}
