import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { ClassifierStageModule, InfraModule, OpsController, PlatformModule } from '@monitor/pipeline';

/** The classifier service in stack mode: the classifier stage on Kafka, with /health and /metrics. */
@Module({})
export class ClassifierServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: ClassifierServiceModule,
      imports: [PlatformModule.forService('classifier', config), InfraModule.forConfig(config, { store: false }), ClassifierStageModule],
      controllers: [OpsController],
    };
  }
}
