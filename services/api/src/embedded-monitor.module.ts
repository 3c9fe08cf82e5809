import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AccessModule, SourcesModule, AlertsModule, InfraModule, LocalStageActivity, PlatformModule, STAGE_ACTIVITY } from '@monitor/runtime';
import { AlerterStageModule } from '@monitor/alerter-stage';
import { DeliveryStageModule } from '@monitor/delivery-stage';
import { ClassifierStageModule } from '@monitor/classifier-stage';
import { CollectorStageModule } from '@monitor/collector-stage';
import { IndexerStageModule } from '@monitor/indexer-stage';
import { StoriesStageModule } from '@monitor/stories-stage';
import { SourcesController } from './sources.controller';
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
        AccessModule.forConfig(config),
        AlertsModule.forConfig(config),
        SourcesModule.forConfig(config),
        CollectorStageModule,
        ClassifierStageModule,
        IndexerStageModule,
        StoriesStageModule,
        AlerterStageModule,
        DeliveryStageModule,
      ],
      providers: [{ provide: STAGE_ACTIVITY, useClass: LocalStageActivity }],
      controllers: [...API_CONTROLLERS, SourcesController],
    };
  }
}
