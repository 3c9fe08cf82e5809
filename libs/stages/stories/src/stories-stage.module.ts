import { Module } from '@nestjs/common';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { STORY_STORE, StoryStore } from '@monitor/search';
import { StoryDesk } from './story-desk';
import { StoryRelay } from './story-relay';
import { StorytellerStage } from './storyteller-stage';

/** The story stage: the relay into the one-partition queue and the assignment that reads it. */
@Module({
  providers: [
    {
      provide: StoryDesk,
      inject: [STORY_STORE, MONITOR_LOGGER],
      useFactory: (store: StoryStore, logger: Logger) =>
        new StoryDesk(store, { onRebuilt: (articles) => logger.info({ articles }, 'story window rebuilt from the story store') }),
    },
  ],
  controllers: [StoryRelay, StorytellerStage],
})
export class StoriesStageModule {}
