import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { IndexerStageModule } from '@monitor/indexer-stage';
import { InfraModule, OpsController, PlatformModule } from '@monitor/runtime';

/** The indexer service in stack mode: the indexer stage on Kafka, with /health and /metrics. */
@Module({})
export class IndexerServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: IndexerServiceModule,
      imports: [PlatformModule.forService('indexer', config), InfraModule.forConfig(config, { store: true }), IndexerStageModule],
      controllers: [OpsController],
    };
  }
}
