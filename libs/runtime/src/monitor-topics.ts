import { BUS_TOPICS, SINGLE_PARTITION_TOPICS, SOURCES_TOPIC, deadLetterTopic } from '@monitor/contracts';
import { MonitorConfig } from '@monitor/config';
import { MessageBus } from '@monitor/messaging';

/**
 * Every topic of the pipeline and its dead-letter topic, and the compacted changelog of sources
 * (no dead-letter topic: its readers skip what they cannot read), created if missing (idempotent).
 */
export async function ensureMonitorTopics(bus: MessageBus, config: MonitorConfig): Promise<void> {
  const topics = Object.values(BUS_TOPICS).flatMap((topic) => [topic, deadLetterTopic(topic)]);
  const shape = { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR };
  // The story queue's order is its point (see BUS_TOPICS.storyQueue); its dead letters need none.
  const partitionsOf = (topic: string) => (SINGLE_PARTITION_TOPICS.includes(topic) ? 1 : shape.partitions);
  await bus.ensureTopics([
    ...topics.map((topic) => ({ topic, ...shape, partitions: partitionsOf(topic) })),
    { topic: SOURCES_TOPIC, ...shape, compacted: true },
  ]);
}
