import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AlerterStageModule } from '@monitor/alerter-stage';
import { AlertsModule, InfraModule, OpsController, PlatformModule } from '@monitor/runtime';

/** The alerter service in stack mode: matches classified articles against subscriptions and delivers alerts. */
@Module({})
export class AlerterServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: AlerterServiceModule,
      imports: [PlatformModule.forService('alerter', config), InfraModule.forConfig(config, { store: false }), AlertsModule.forConfig(config), AlerterStageModule],
      controllers: [OpsController],
    };
  }
}
