import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import {
  AccessModule,
  AlerterStageModule,
  AlertsModule,
  ClassifierStageModule,
  CollectorStageModule,
  IndexerStageModule,
  InfraModule,
  LocalStageActivity,
  PlatformModule,
  STAGE_ACTIVITY,
  SourcesController,
} from '@monitor/pipeline';
import { API_CONTROLLERS } from './api-controllers';

/**
 * Embedded mode: the five services' stages in one process, over the durable SQLite bus and the
 * SQLite FTS5 store. The same stage modules run as separate processes over Kafka and
 * Elasticsearch in stack mode; only InfraModule chooses differently.
 */
@Module({})
export class EmbeddedMonitorModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: EmbeddedMonitorModule,
      imports: [
        PlatformModule.forService('monitor', config),
        InfraModule.forConfig(config),
        AccessModule,
        AlertsModule,
        CollectorStageModule,
        ClassifierStageModule,
        IndexerStageModule,
        AlerterStageModule,
      ],
      providers: [{ provide: STAGE_ACTIVITY, useClass: LocalStageActivity }],
      controllers: [...API_CONTROLLERS, SourcesController],
    };
  }
}
