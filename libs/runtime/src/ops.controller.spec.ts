import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { loadConfig } from '@monitor/config';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { ARTICLE_STORE } from '@monitor/search';
import { SqliteArticleStore } from '@monitor/search-sqlite';
import { HttpErrorFilter } from './http-error.filter';
import { OpsController } from './ops.controller';
import { PlatformModule } from './platform.module';

/** A loopback port nothing listens on: a Kafka broker that is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function serve(bus: MessageBus): Promise<{ app: INestApplication; url: string }> {
  const store = new SqliteArticleStore({ db: new Database(':memory:'), closeDatabase: true });
  await store.init();
  @Module({
    imports: [PlatformModule.forService('ops-test', loadConfig({ LOG_LEVEL: 'silent' }))],
    controllers: [OpsController],
    providers: [
      { provide: MESSAGE_BUS, useValue: bus },
      { provide: ARTICLE_STORE, useValue: store },
    ],
  })
  class OpsTestModule {}
  const app = await NestFactory.create(OpsTestModule, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

interface HealthReport {
  status: string;
  error?: Record<string, { status: string }>;
  info?: Record<string, { status: string }>;
}

async function get(url: string): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

describe('OpsController: liveness and readiness', () => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  it('is live and ready when the bus and the store answer', async () => {
    const bus = new SqliteBus({ db: new Database(':memory:') });
    const { app, url } = await serve(bus);
    open.push(bus, app);
    expect(await get(`${url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get(`${url}/ready`)).toMatchObject({ status: 200, body: { status: 'ok', info: { bus: { status: 'up' }, store: { status: 'up' } } } });
  });

  it('stays live while the bus is down, and is not ready, naming the bus', async () => {
    const bus = new KafkaBus({ brokers: [`127.0.0.1:${await closedPort()}`], healthTimeoutMs: 1_000 });
    const { app, url } = await serve(bus);
    open.push(bus, app);
    const live = await get(`${url}/health`);
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(JSON.stringify(live.body)).not.toContain('bus');
    expect(await get(`${url}/ready`)).toMatchObject({ status: 503, body: { status: 'error', error: { bus: { status: 'down' } }, info: { store: { status: 'up' } } } });
  });
});
