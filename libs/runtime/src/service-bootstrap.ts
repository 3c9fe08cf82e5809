import { INestApplication, Type } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MonitorConfig } from '@monitor/config';
import { MONITOR_LOGGER } from '@monitor/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { MicroserviceOptions } from '@nestjs/microservices';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { Logger, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { BusTransport } from './bus-transport';
import { deadLetterReporter } from './dead-letter-report';
import { HandlerFailureLog } from './handler-failure-log';
import { applyHttpContract } from './http-contract';
import { buildOpenApiDocument } from './openapi-document';

export interface ServiceBootstrapOptions {
  service: string;
  module: Type<unknown> | ReturnType<typeof Object>;
  config: MonitorConfig;
  port: number;
  /** Serve OpenAPI at /docs (the api service does). */
  openApi?: boolean;
}

/**
 * Starts one service process: the Nest app with JSON logs, the HTTP contract (one error shape,
 * 405/415, validation), OpenAPI where asked, and graceful shutdown so consumers stop and commit
 * before the process exits.
 */
export async function bootstrapService(options: ServiceBootstrapOptions): Promise<INestApplication> {
  // No default parsers: applyHttpContract reads JSON bodies only (and needs the raw bytes to tell an empty one).
  const app = await NestFactory.create<NestExpressApplication>(options.module as Type<unknown>, { bufferLogs: true, bodyParser: false, rawBody: true });
  app.useLogger(app.get(PinoNestLogger));
  applyHttpContract(app, app.get(MONITOR_LOGGER));
  app.enableShutdownHooks();
  connectStages(app);
  if (options.openApi) {
    const document = buildOpenApiDocument(app, {
      title: 'Drug-control news monitor API',
      description:
        'Search classified SCO, UNODC and related announcements; manage topic subscriptions and receive alerts; watch sources and the pipeline. ' +
        'Send your API key as `X-API-Key` (or `Authorization: Bearer KEY`). Every error is `{"error": {"code", "message", "field"?}}`.',
      version: '1',
    });
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  }
  await app.startAllMicroservices();
  keepIdleConnections(app.getHttpServer() as Server, options.config.HTTP_KEEP_ALIVE_MS);
  await app.listen(options.port, options.config.HOST);
  return app;
}

/**
 * Node's own default (5 s) is shorter than its clients': undici keeps an idle connection for as
 * long as the server's Keep-Alive hint allows and proxies for about 60 s, so a slow client's next
 * request could go out on a connection the server had just closed and fail with no answer.
 */
export function keepIdleConnections(server: Server, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
  // Node has counted a kept connection's wait for its next request's headers against
  // headersTimeout (60 s by default): it must outlast the keep-alive, or idle connections go sooner.
  server.headersTimeout = keepAliveMs + 1_000;
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

/**
 * Feeds the process's stage controllers (`@EventPattern(consumes(...))`) from the bus: Kafka in
 * the stack, the SQLite bus in embedded mode. A process without stages (the stack's api) gets a
 * transport with nothing to consume.
 */
function connectStages(app: INestApplication): void {
  const logger = app.get<Logger>(MONITOR_LOGGER);
  const failures = new HandlerFailureLog({ logger: logger.child({ component: 'stage' }) });
  app.connectMicroservice<MicroserviceOptions>({
    strategy: new BusTransport({
      bus: app.get<MessageBus>(MESSAGE_BUS),
      onDeadLetter: deadLetterReporter(app.get<MonitorMetrics>(MONITOR_METRICS), app.get<PipelineActivity>(PIPELINE_ACTIVITY), logger),
      onBatchFailed: (topic, group, error, batch, attempt) => failures.report(topic, group, error, batch, attempt),
    }),
  });
}
