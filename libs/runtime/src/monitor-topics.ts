import { BUS_TOPICS, deadLetterTopic } from '@monitor/contracts';
import { MonitorConfig } from '@monitor/config';
import { MessageBus } from '@monitor/messaging';

/** Every topic of the pipeline and its dead-letter topic, created if missing (idempotent). */
export async function ensureMonitorTopics(bus: MessageBus, config: MonitorConfig): Promise<void> {
  const topics = Object.values(BUS_TOPICS).flatMap((topic) => [topic, deadLetterTopic(topic)]);
  await bus.ensureTopics(topics.map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR })));
}
