import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { ReceivedEvent } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { StageController, consumes } from '@monitor/runtime';
import { AlertRecording } from './alert-recording';

/**
 * Consumes news.classified.v1, matches each article against the per-article subscriptions (the
 * per-story ones are StoryAlerterStage's, on stories.v1), records new alerts
 * in the ledger (exactly once per subscription and article) and publishes every alert of the batch
 * to alerts.v1, where the delivery stage sends them; the SSE streams read the ledger. A redelivered
 * or re-classified article finds its alerts in the ledger: they are published again, not recorded
 * again, and the delivery log keeps them from being sent twice.
 */
@StageController()
export class AlerterStage {
  constructor(
    @Inject(AlertRecording) private readonly recording: AlertRecording,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(consumes(BUS_TOPICS.classified, CONSUMER_GROUPS.alerter), { maxBatchSize: 200 })
  async alert(@Payload() events: ReceivedEvent<'news.classified.v1'>[]): Promise<void> {
    const alerts = await this.recording.handleClassified(events);
    const traceIds = new Map(events.map((received) => [received.event.id, received.traceId]));
    for (const alert of alerts) {
      this.metrics.alertsDelivered.inc({ channel: 'sse' });
      this.logger.info({ articleId: alert.articleId, subscriptionId: alert.subscriptionId, traceId: traceIds.get(alert.articleId ?? '') }, 'alert');
    }
    this.metrics.eventsProcessed.inc({ stage: 'alerter' }, events.length);
    this.activity.recordEvents('alerter', events.length);
  }
}
