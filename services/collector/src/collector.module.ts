import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AccessModule, CollectorStageModule, InfraModule, OpsController, PlatformModule, SourcesController } from '@monitor/pipeline';

/** The collector service in stack mode: polls the sources and publishes to news.raw.v1 on Kafka. */
@Module({})
export class CollectorServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: CollectorServiceModule,
      imports: [PlatformModule.forService('collector', config), InfraModule.forConfig(config, { store: false }), AccessModule, CollectorStageModule],
      controllers: [OpsController, SourcesController],
    };
  }
}
