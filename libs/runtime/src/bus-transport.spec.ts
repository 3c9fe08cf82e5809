import 'reflect-metadata';
import { Inject, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MicroserviceOptions, Payload, Ctx } from '@nestjs/microservices';
import Database from 'better-sqlite3';
import { BUS_TOPICS, MonitorError, articleIdFromUrl, deadLetterTopic, HEADERS } from '@monitor/contracts';
import { FailedEvent, IncomingMessage, MessageBus, ReceivedEvent } from '@monitor/messaging';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { BusContext, BusTransport, consumes } from './bus-transport';
import { StageController } from './stage-controller';

const SEEN = Symbol('SEEN');

interface Seen {
  indexer: string[][];
  alerter: string[];
  contexts: string[];
  failNext: number;
}

@StageController()
class IndexerLike {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  @EventPattern(consumes(BUS_TOPICS.classified, 'indexer-like'), { maxBatchSize: 2 })
  async index(@Payload() events: ReceivedEvent<'news.classified.v1'>[], @Ctx() context: BusContext): Promise<FailedEvent[]> {
    this.seen.contexts.push(`${context.topic}/${context.group}`);
    if (this.seen.failNext > 0) {
      this.seen.failNext -= 1;
      throw new MonitorError('STORE_UNAVAILABLE', 'the store is away', { retriable: true });
    }
    this.seen.indexer.push(events.map((e) => e.event.title));
    // The item titled "refused" fails for good: it goes to the dead-letter topic, the rest commit.
    return events.filter((e) => e.event.title === 'refused').map((e) => ({ message: e.message, error: new MonitorError('REFUSED', 'mapping conflict') }));
  }
}

@StageController()
class AlerterLike {
  constructor(@Inject(SEEN) private readonly seen: Seen) {}

  @EventPattern(consumes(BUS_TOPICS.classified, 'alerter-like'))
  async alert(@Payload() events: ReceivedEvent<'news.classified.v1'>[]): Promise<void> {
    this.seen.alerter.push(...events.map((e) => e.event.title));
  }
}

function classified(title: string) {
  const url = `https://example.org/${encodeURIComponent(title)}`;
  return {
    schema: 'news.classified.v1' as const,
    id: articleIdFromUrl(url),
    sourceId: 's',
    url,
    title,
    text: 'text',
    language: 'en',
    publishedAt: null,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    classifiedAt: '2026-01-01T00:00:00.000Z',
    taxonomyVersion: 't',
    topics: [],
  };
}

async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('BusTransport: stages as Nest microservice controllers over the messaging port', () => {
  let app: INestApplication;
  let appClosed = false;
  let bus: MessageBus;
  let seen: Seen;
  const failures: Array<{ topic: string; group: string; error: unknown; attempt: number }> = [];
  const deadLetters: Array<{ topic: string; reason: string }> = [];

  beforeEach(async () => {
    seen = { indexer: [], alerter: [], contexts: [], failNext: 0 };
    appClosed = false;
    failures.length = 0;
    deadLetters.length = 0;
    bus = new SqliteBus({ db: new Database(':memory:'), retryBaseMs: 10, retryMaxMs: 30 });
    await bus.ensureTopics([BUS_TOPICS.classified, deadLetterTopic(BUS_TOPICS.classified)].map((topic) => ({ topic, partitions: 1, replicationFactor: 1 })));
    @Module({ providers: [{ provide: SEEN, useValue: seen }], controllers: [IndexerLike, AlerterLike] })
    class StagesModule {}
    app = await NestFactory.create(StagesModule, { logger: false });
    app.connectMicroservice<MicroserviceOptions>({
      strategy: new BusTransport({
        bus,
        onDeadLetter: (topic, reason) => deadLetters.push({ topic, reason }),
        onBatchFailed: (topic, group, error, _batch: IncomingMessage[], attempt) => failures.push({ topic, group, error, attempt }),
      }),
    });
    await app.startAllMicroservices();
    await app.init();
  });

  afterEach(async () => {
    if (!appClosed) await app.close();
    await bus.close();
  });

  it('gives each group on one topic its own copy, in batches of the size its pattern asks for', async () => {
    await bus.publish(BUS_TOPICS.classified, ['a', 'b', 'c'].map((t) => ({ key: classified(t).id, value: JSON.stringify(classified(t)) })));
    await until(() => seen.indexer.flat().length === 3 && seen.alerter.length === 3);
    expect(seen.indexer.flat().sort()).toEqual(['a', 'b', 'c']);
    expect(Math.max(...seen.indexer.map((batch) => batch.length))).toBeLessThanOrEqual(2);
    expect(seen.alerter.sort()).toEqual(['a', 'b', 'c']);
    expect(seen.contexts[0]).toBe(`${BUS_TOPICS.classified}/indexer-like`);
  });

  it('hands a thrown error to the failure log unchanged and delivers the batch again', async () => {
    seen.failNext = 2;
    await bus.publish(BUS_TOPICS.classified, [{ key: classified('x').id, value: JSON.stringify(classified('x')) }]);
    await until(() => seen.indexer.flat().includes('x'));
    expect(failures.length).toBe(2);
    expect(failures[0]).toMatchObject({ topic: BUS_TOPICS.classified, group: 'indexer-like', attempt: 1 });
    // The original error, code and all (Nest's default RPC filter would have replaced it).
    expect(failures[0].error).toBeInstanceOf(MonitorError);
    expect((failures[0].error as MonitorError).code).toBe('STORE_UNAVAILABLE');
    expect(failures[1].attempt).toBe(2);
  });

  it('sends items a handler refused for good, and invalid events, to the dead-letter topic', async () => {
    const dead: IncomingMessage[] = [];
    await bus.consume({ topic: deadLetterTopic(BUS_TOPICS.classified), group: 'dlq-reader', handleBatch: async (batch) => void dead.push(...batch) });
    await bus.publish(BUS_TOPICS.classified, [
      { key: classified('ok').id, value: JSON.stringify(classified('ok')) },
      { key: classified('refused').id, value: JSON.stringify(classified('refused')) },
      { key: 'broken', value: '{"schema":"news.classified.v1"}' },
    ]);
    // Each of the two groups dead-letters the broken event; only the indexer refuses "refused".
    await until(() => dead.length === 3);
    const reasons = dead.map((m) => m.headers[HEADERS.deadLetterCode]).sort();
    expect(reasons).toEqual(['REFUSED', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect(deadLetters).toHaveLength(3);
    expect(seen.indexer.flat()).toEqual(expect.arrayContaining(['ok', 'refused']));
  });

  it('stops consuming when the application closes', async () => {
    await bus.publish(BUS_TOPICS.classified, [{ key: classified('early').id, value: JSON.stringify(classified('early')) }]);
    await until(() => seen.alerter.includes('early'));
    await app.close();
    appClosed = true;
    await bus.publish(BUS_TOPICS.classified, [{ key: classified('late').id, value: JSON.stringify(classified('late')) }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.alerter).not.toContain('late');
  });
});
