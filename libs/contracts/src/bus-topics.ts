/** Message-bus topic names, defined once. Each consumer has its own dead-letter topic. */
export const BUS_TOPICS = {
  raw: 'news.raw.v1',
  classified: 'news.classified.v1',
  alerts: 'alerts.v1',
  /**
   * The classified articles again, in one partition: story assignment decides each article
   * against all before it, so it needs one total order, which only a one-partition topic gives.
   */
  storyQueue: 'stories.queue.v1',
  /** Each article's story, as decided (story.assigned events, keyed by article). */
  stories: 'stories.v1',
} as const;

/** Topics that must have exactly one partition, whatever KAFKA_PARTITIONS says. */
export const SINGLE_PARTITION_TOPICS: readonly string[] = [BUS_TOPICS.storyQueue];

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
  /** Copies news.classified.v1 into stories.queue.v1 (any replica, any partition). */
  storyRelay: 'story-relay',
  /** Assigns stories from stories.queue.v1: one member at a time holds its one partition. */
  storyteller: 'storyteller',
  /** Matches per-story subscriptions on stories.v1 (story.assigned), beside the alerter's news.classified.v1. */
  storyAlerter: 'story-alerter',
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
