/** Message-bus topic names, defined once. Each consumer has its own dead-letter topic. */
export const BUS_TOPICS = {
  raw: 'news.raw.v1',
  classified: 'news.classified.v1',
  alerts: 'alerts.v1',
} as const;

export type BusTopic = (typeof BUS_TOPICS)[keyof typeof BUS_TOPICS];

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Consumer groups: one per service role, so replicas of a role share the work. */
export const CONSUMER_GROUPS = {
  classifier: 'classifier',
  indexer: 'indexer',
  alerter: 'alerter',
  alertDelivery: 'alert-delivery',
} as const;

/** Message headers carried with every event, so one article can be followed through all services. */
export const HEADERS = {
  traceId: 'x-trace-id',
  articleId: 'x-article-id',
  schema: 'x-schema',
  deadLetterReason: 'x-dlq-reason',
  deadLetterCode: 'x-dlq-code',
  deadLetterSourceTopic: 'x-dlq-source-topic',
} as const;
