import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { IndexerStageModule } from '@monitor/indexer-stage';
import { StoriesStageModule } from '@monitor/stories-stage';
import { InfraModule, OpsController, PlatformModule } from '@monitor/runtime';

/**
 * The indexer service in stack mode: the indexer stage and the story stage on Kafka, with /health
 * and /metrics. The story stage lives here because it writes beside the articles (the story store)
 * and, like the indexer, holds nothing a replica could not rebuild: of its replicas one at a time
 * holds the story queue, the others stand by.
 */
@Module({})
export class IndexerServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: IndexerServiceModule,
      imports: [PlatformModule.forService('indexer', config), InfraModule.forConfig(config, { store: true }), IndexerStageModule, StoriesStageModule],
      controllers: [OpsController],
    };
  }
}
