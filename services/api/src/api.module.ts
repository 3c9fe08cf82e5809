import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import {
  AccessModule,
  AlertsModule,
  InfraModule,
  PlatformModule,
  RemoteSourceOperations,
  SOURCE_OPERATIONS,
  SourcesController,
  TopicClassifierModule,
} from '@monitor/pipeline';
import { API_CONTROLLERS } from './api-controllers';

/** The api service in stack mode: search over Elasticsearch, subscriptions and alert streams. */
@Module({})
export class ApiServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: ApiServiceModule,
      imports: [PlatformModule.forService('api', config), InfraModule.forConfig(config, { store: true }), AccessModule, AlertsModule, TopicClassifierModule],
      providers: [{ provide: SOURCE_OPERATIONS, useClass: RemoteSourceOperations }],
      controllers: [...API_CONTROLLERS, SourcesController],
    };
  }
}
