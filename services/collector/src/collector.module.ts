import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AccessModule, SourcesModule, InfraModule, OpsController, PlatformModule } from '@monitor/runtime';
import { CollectorStageModule } from '@monitor/collector-stage';
import { SourcePollController } from './source-poll.controller';

/** The collector service in stack mode: polls the sources and publishes to news.raw.v1 on Kafka. */
@Module({})
export class CollectorServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: CollectorServiceModule,
      imports: [PlatformModule.forService('collector', config), InfraModule.forConfig(config, { store: false }), AccessModule.forConfig(config), SourcesModule.forConfig(config), CollectorStageModule],
      controllers: [OpsController, SourcePollController],
    };
  }
}
