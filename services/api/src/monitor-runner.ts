import { INestApplication } from '@nestjs/common';
import { MonitorConfig } from '@monitor/config';
import { bootstrapService } from '@monitor/runtime';
import { ApiServiceModule } from './api.module';
import { EmbeddedMonitorModule } from './embedded-monitor.module';

/** Starts the api service: the whole monitor in embedded mode, the api alone in stack mode. */
export function runMonitor(config: MonitorConfig): Promise<INestApplication> {
  const module = config.MONITOR_MODE === 'embedded' ? EmbeddedMonitorModule.forConfig(config) : ApiServiceModule.forConfig(config);
  return bootstrapService({ service: 'api', module, config, port: config.PORT, openApi: true });
}
