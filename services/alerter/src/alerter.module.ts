import { DynamicModule, Module } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { AlerterStageModule } from '@monitor/alerter-stage';
import { DeliveryStageModule } from '@monitor/delivery-stage';
import { AlertsModule, InfraModule, OpsController, PlatformModule } from '@monitor/runtime';

/** The alerter service in stack mode: matches classified articles against subscriptions, records and publishes alerts (alerter stage), and delivers them from alerts.v1 (delivery stage). */
@Module({})
export class AlerterServiceModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    return {
      module: AlerterServiceModule,
      imports: [PlatformModule.forService('alerter', config), InfraModule.forConfig(config, { store: false }), AlertsModule.forConfig(config), AlerterStageModule, DeliveryStageModule],
      controllers: [OpsController],
    };
  }
}
