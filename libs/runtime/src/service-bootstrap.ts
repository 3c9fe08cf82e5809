import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MonitorConfig } from '@monitor/config';
import { MONITOR_LOGGER } from '@monitor/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { HttpErrorFilter } from './http-error.filter';

export interface ServiceBootstrapOptions {
  service: string;
  module: Type<unknown> | ReturnType<typeof Object>;
  config: MonitorConfig;
  port: number;
  /** Serve OpenAPI at /docs (the api service does). */
  openApi?: boolean;
}

/**
 * Starts one service process: the Nest app with JSON logs, the one error shape, OpenAPI where
 * asked, and graceful shutdown so consumers stop and commit before the process exits.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module as Type<unknown>, { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  app.useGlobalFilters(new HttpErrorFilter(app.get(MONITOR_LOGGER)));
  app.enableShutdownHooks();
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Drug-control news monitor API')
        .setDescription(
          'Search classified SCO, UNODC and related announcements; manage topic subscriptions and receive alerts; watch sources and the pipeline. ' +
            'Send your API key as `X-API-Key` (or `Authorization: Bearer KEY`).',
        )
        .setVersion('1')
        .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  }
  await app.listen(options.port, options.config.HOST);
  return app;
}

/** A service that cannot start says why in one line (the config variable, the unreachable server) and exits 1. */
export function exitOnStartupError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string })?.code;
  process.stderr.write(`fatal: ${code ? `[${code}] ` : ''}${message}\n`);
  process.exit(1);
}

/** PORT when the operator set it (validated by loadConfig), else the service's own default port. */
export function servicePort(config: MonitorConfig, defaultPort: number): number {
  return process.env.PORT ? config.PORT : defaultPort;
}
