import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity, createLogger } from '@monitor/observability';
import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';

const QUIET_PATHS = ['/health', '/ready', '/metrics'];

/** Config, logger, metrics and the activity record: what every service process has once. */
@Global()
@Module({})
export class PlatformModule {
  static forService(service: string, config: MonitorConfig): DynamicModule {
    const logger = createLogger(service, config.LOG_LEVEL);
    return {
      module: PlatformModule,
      imports: [
        TerminusModule,
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.includes((req.url ?? '').split('?')[0]) },
          },
        }),
      ],
      providers: [
        { provide: MONITOR_CONFIG, useValue: config },
        { provide: MONITOR_LOGGER, useValue: logger },
        { provide: MONITOR_METRICS, useValue: new MonitorMetrics({ service }) },
        { provide: PIPELINE_ACTIVITY, useValue: new PipelineActivity() },
      ],
      exports: [MONITOR_CONFIG, MONITOR_LOGGER, MONITOR_METRICS, PIPELINE_ACTIVITY, TerminusModule],
    };
  }
}
