import {
  Checked,
  EVENT_SCHEMAS,
  EventFor,
  HEADERS,
  deadLetterTopic,
  errorCode,
  isRetriable,
  parseEvent,
} from '@monitor/contracts';
import { randomUUID } from 'node:crypto';
import { ConsumerHandle, IncomingMessage, MessageBus } from './bus.port';
import { deadLetterMessage } from './dead-letter-message';

type EventTopic = keyof typeof EVENT_SCHEMAS;

export interface ReceivedEvent<T extends EventTopic> {
  /** Validated here, once: stages use it (and stores write it) without parsing it again. */
  event: Checked<EventFor<T>>;
  message: IncomingMessage;
  traceId: string;
}

export interface FailedEvent {
  message: IncomingMessage;
  error: unknown;
}

export interface EventConsumerOptions<T extends EventTopic> {
  topic: T;
  group: string;
  maxBatchSize?: number;
  /**
   * Handles a batch of valid events. Return the items that failed for good (they go to the
   * dead-letter topic with their reason); throw, or return a retriable failure, to have the whole
   * batch delivered again (handlers are idempotent by article id, so a replay is harmless).
   */
  handle(events: ReceivedEvent<T>[]): Promise<FailedEvent[] | void>;
  /** Told about every message sent to the dead-letter topic, for metrics and the dashboard. */
  onDeadLetter?(topic: string, reason: string, message: IncomingMessage): void;
  /** Told each time a batch failed and will be delivered again (see ConsumeOptions.onBatchFailed). */
  onBatchFailed?(error: unknown, batch: IncomingMessage[], attempt: number): void;
}

export interface PublishOptions<T extends EventTopic> {
  /**
   * The message key, which decides the partition and so what stays in order: the event id by
   * default (the article); alerts.v1 is keyed by subscription, so one subscription's alerts reach
   * one delivery worker in order.
   */
  keyOf?: (event: EventFor<T>) => string;
}

/**
 * Validates, keys (by event id unless told otherwise) and stamps the trace header, taken from
 * `traceIds` by event id; the event is checked before it leaves.
 */
export async function publishEvents<T extends EventTopic>(
  bus: MessageBus,
  topic: T,
  events: EventFor<T>[],
  traceIds: Map<string, string> = new Map(),
  options: PublishOptions<T> = {},
): Promise<void> {
  if (events.length === 0) return;
  const messages = events.map((candidate) => {
    const event = parseEvent(topic, candidate);
    const id = String((event as { id: string }).id);
    return {
      key: options.keyOf?.(event) ?? id,
      value: JSON.stringify(event),
      headers: {
        [HEADERS.schema]: topic,
        [HEADERS.articleId]: String((event as { articleId?: string }).articleId ?? id),
        [HEADERS.traceId]: traceIds.get(id) ?? randomUUID(),
      },
    };
  });
  await bus.publish(topic, messages);
}

/**
 * The one place where consumed events are validated and routed to the dead-letter topic: both
 * bus adapters and every stage share it, so "bad input never blocks a partition and is never
 * dropped silently" holds the same way in embedded and stack mode.
 */
export function consumeEvents<T extends EventTopic>(
  bus: MessageBus,
  options: EventConsumerOptions<T>,
): Promise<ConsumerHandle> {
  return bus.consume({
    topic: options.topic,
    group: options.group,
    maxBatchSize: options.maxBatchSize,
    onBatchFailed: options.onBatchFailed,
    handleBatch: async (batch) => {
      const valid: ReceivedEvent<T>[] = [];
      const dead: FailedEvent[] = [];
      for (const message of batch) {
        try {
          const event = parseEvent(options.topic, JSON.parse(message.value));
          valid.push({ event, message, traceId: message.headers[HEADERS.traceId] ?? randomUUID() });
        } catch (error) {
          dead.push({ message, error });
        }
      }
      const failures = valid.length > 0 ? ((await options.handle(valid)) ?? []) : [];
      const retriable = failures.find((failure) => isRetriable(failure.error));
      if (retriable) throw retriable.error;
      dead.push(...failures);
      if (dead.length > 0) await sendToDeadLetter(bus, options, dead);
    },
  });
}

async function sendToDeadLetter<T extends EventTopic>(
  bus: MessageBus,
  options: EventConsumerOptions<T>,
  dead: FailedEvent[],
): Promise<void> {
  const dlq = deadLetterTopic(options.topic);
  await bus.publish(
    dlq,
    dead.map(({ message, error }) => {
      const reason = error instanceof Error ? error.message : String(error);
      options.onDeadLetter?.(dlq, reason, message);
      return deadLetterMessage({
        key: message.key,
        value: message.value,
        headers: message.headers,
        reason,
        code: errorCode(error),
        sourceTopic: `${message.topic}/${message.partition}@${message.offset}`,
      });
    }),
  );
}
