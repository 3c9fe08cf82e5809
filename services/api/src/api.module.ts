import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AccessModule, SourcesModule, AlertsModule, InfraModule, PlatformModule, RemoteStageActivity, STAGE_ACTIVITY } from '@monitor/runtime';
import { RemoteSourceOperations, SOURCE_OPERATIONS } from '@monitor/collector-stage';
import { SourcesController } from './sources.controller';
import { TopicClassifierModule } from '@monitor/classifier-stage';
import { API_CONTROLLERS } from './api-controllers';

/** The api service in stack mode: search over Elasticsearch, subscriptions and alert streams. */
@Module({})
export class ApiServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: ApiServiceModule,
      imports: [PlatformModule.forService('api', config), InfraModule.forConfig(config, { store: true }), AccessModule.forConfig(config), AlertsModule.forConfig(config), SourcesModule.forConfig(config), TopicClassifierModule],
      providers: [
        { provide: SOURCE_OPERATIONS, useClass: RemoteSourceOperations },
        { provide: STAGE_ACTIVITY, useClass: RemoteStageActivity },
      ],
      controllers: [...API_CONTROLLERS, SourcesController],
    };
  }
}
