import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS } from '@monitor/contracts';
import { MESSAGE_BUS, MessageBus, ReceivedEvent, publishEvents } from '@monitor/messaging';
import { StageController, consumes } from '@monitor/runtime';
import { storyQueueItemOf } from './story-desk';

/**
 * Consumes news.classified.v1 (in any partition, on any replica) and copies each article into
 * stories.queue.v1, whose one partition gives story assignment the one order it needs. Committed
 * after the queue acknowledged the copies: a crash in between copies a batch twice, and the desk
 * keeps the first story of an article, so the second copy changes nothing.
 */
@StageController()
export class StoryRelay {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  @EventPattern(consumes(BUS_TOPICS.classified, CONSUMER_GROUPS.storyRelay), { maxBatchSize: 500 })
  async relay(@Payload() events: ReceivedEvent<'news.classified.v1'>[]): Promise<void> {
    const traceIds = new Map(events.map((received) => [received.event.id, received.traceId]));
    await publishEvents(this.bus, BUS_TOPICS.storyQueue, events.map(({ event }) => storyQueueItemOf(event)), traceIds);
  }
}
