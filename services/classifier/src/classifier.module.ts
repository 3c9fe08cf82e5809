import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { ClassifierStageModule } from '@monitor/classifier-stage';
import { InfraModule, OpsController, PlatformModule } from '@monitor/runtime';

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
