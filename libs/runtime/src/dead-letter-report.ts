import { IncomingMessage } from '@monitor/messaging';
import { Logger, MonitorMetrics, PipelineActivity } from '@monitor/observability';

/**
 * What every stage does when it sends a message to a dead-letter topic: count it, keep the reason
 * for the dashboard, and log it with the article id, so nothing is dropped silently.
 */
export function deadLetterReporter(metrics: MonitorMetrics, activity: PipelineActivity, logger: Logger) {
  return (topic: string, reason: string, message: IncomingMessage): void => {
    metrics.deadLetters.inc({ topic });
    activity.recordDeadLetter({ topic, reason, key: message.key, at: new Date().toISOString() });
    logger.warn({ topic, reason, articleId: message.key, source: `${message.topic}/${message.partition}@${message.offset}` }, 'sent to dead-letter topic');
  };
}
