import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { BaseRpcContext } from '@nestjs/microservices/ctx-host/base-rpc.context';
import { lastValueFrom } from 'rxjs';
import { EVENT_SCHEMAS, MonitorError } from '@monitor/contracts';
import { ConsumerHandle, FailedEvent, IncomingMessage, MessageBus, ReceivedEvent, consumeEvents } from '@monitor/messaging';

type EventTopic = keyof typeof EVENT_SCHEMAS;

/**
 * What a stage handler subscribes to: `@EventPattern(consumes(BUS_TOPICS.raw, CONSUMER_GROUPS.classifier), { maxBatchSize: 500 })`.
 * The group is part of the pattern because two stages of one process (the embedded monitor) read
 * the same topic in their own groups (indexer and alerter both read news.classified.v1).
 */
export interface ConsumedTopic {
  topic: EventTopic;
  group: string;
}

export function consumes(topic: EventTopic, group: string): ConsumedTopic {
  return { topic, group };
}

export interface ConsumeExtras {
  /** Largest batch handed to the handler at once. */
  maxBatchSize?: number;
}

/** The context a stage handler gets with `@Ctx()`: which topic and group the batch came from. */
export class BusContext extends BaseRpcContext<[topic: string, group: string]> {
  get topic(): string {
    return this.args[0];
  }
  get group(): string {
    return this.args[1];
  }
}

export interface BusTransportOptions {
  bus: MessageBus;
  /** Told about every message sent to a dead-letter topic. */
  onDeadLetter(topic: string, reason: string, message: IncomingMessage): void;
  /** Told about every failed batch before it is retried (see HandlerFailureLog). */
  onBatchFailed(topic: string, group: string, error: unknown, batch: IncomingMessage[], attempt: number): void;
}

/**
 * The messaging port as a Nest microservice transport, so that each stage is an ordinary
 * `@EventPattern` controller over Kafka in the stack and over the SQLite bus in embedded mode.
 *
 * The guarantees stay where they were, in `consumeEvents` and the bus adapters: a handler gets a
 * batch of validated events (invalid ones go to the dead-letter topic first); resolving commits
 * the batch, returning failed items sends them to the dead-letter topic, throwing leaves the batch
 * uncommitted for a retry. For that the handler's error must reach the adapter: Nest's default
 * RPC exception filter would log it and swallow nothing, but it logs every retry of an outage, so
 * the transport is paired with RethrowRpcErrorsFilter and HandlerFailureLog logs instead.
 *
 * Why not `@nestjs/microservices`' own Kafka transport: it handles one message per call and
 * commits by itself, so batches (a bulk write of 1,000 articles), commit-after-work and the
 * embedded SQLite bus would all be lost.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: ConsumerHandle[] = [];

  constructor(private readonly options: BusTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        const { topic, group } = parsePattern(pattern);
        const extras = (handler.extras ?? {}) as ConsumeExtras;
        this.consumers.push(
          await consumeEvents(this.options.bus, {
            topic,
            group,
            maxBatchSize: extras.maxBatchSize,
            onDeadLetter: this.options.onDeadLetter,
            onBatchFailed: (error, batch, attempt) => this.options.onBatchFailed(topic, group, error, batch, attempt),
            handle: (events) => this.invoke(handler, events, new BusContext([topic, group])),
          }),
        );
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  }

  on(): never {
    throw new MonitorError('UNSUPPORTED', 'the bus transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }

  private async invoke(handler: MessageHandler, events: ReceivedEvent<EventTopic>[], context: BusContext): Promise<FailedEvent[] | void> {
    const result = this.transformToObservable(await handler(events, context));
    return (await lastValueFrom(result, { defaultValue: undefined })) as FailedEvent[] | void;
  }
}

function parsePattern(pattern: string): ConsumedTopic {
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    parsed = undefined; // a plain string pattern: reported below with what is expected instead
  }
  const candidate = parsed as Partial<ConsumedTopic> | undefined;
  if (!candidate || typeof candidate.group !== 'string' || !candidate.topic || !(candidate.topic in EVENT_SCHEMAS)) {
    throw new MonitorError('INVALID_PATTERN', `@EventPattern(${pattern}): expected consumes(topic, group) with a topic of ${Object.keys(EVENT_SCHEMAS).join(', ')}`);
  }
  return { topic: candidate.topic, group: candidate.group };
}
