/**
 * The messaging port, shaped after Kafka so that the embedded adapter is a faithful stand-in:
 * messages are keyed (the article id), a key always lands on the same partition (so one article's
 * events stay in order), consumers join a group that shares the partitions, and delivery is
 * at-least-once: a batch's offsets are committed only after its handler resolved. A handler that
 * throws gets the same batch again later; it never loses it.
 */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Offsets are strings as in Kafka: they can exceed 2^53. */
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface ConsumeOptions {
  topic: string;
  group: string;
  /** Largest batch handed to `handleBatch` at once. */
  maxBatchSize?: number;
  /**
   * Handles one batch from one partition. Resolving commits the batch; throwing leaves it
   * uncommitted, and the adapter delivers it again after a backoff.
   */
  handleBatch(batch: IncomingMessage[]): Promise<void>;
  /**
   * Told each time `handleBatch` threw, with the attempt number on that partition, before the
   * batch is retried: the adapters retry on their own, so without this a failure (Elasticsearch
   * away, say) would replay forever without a word.
   */
  onBatchFailed?(error: unknown, batch: IncomingMessage[], attempt: number): void;
  /**
   * Told the partitions this member owns after every (re)assignment of the group: when it joins,
   * when another member joins or leaves (or dies and its session ends), and with none when its
   * consumer crashed and has not rejoined yet. Lets a group share work that is not messages (the
   * collectors share the sources, keyed like the topic: see partitionForKey).
   */
  onAssignment?(assignment: PartitionAssignment): void;
}

export interface PartitionAssignment {
  /** The partitions this member now owns, ascending; empty when it owns none. */
  partitions: number[];
  /** The topic's partition count, to map a key to its partition with partitionForKey. */
  partitionCount: number;
}

export interface ConsumerHandle {
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  /**
   * Keep only the latest message of each key, forever (Kafka's `cleanup.policy=compact`): for a
   * changelog read whole by every process at start, such as sources.v1. Only applied when the
   * topic is created. An adapter without retention by age (the embedded bus keeps every message
   * until all groups committed it) may ignore it: the latest message of a key still wins.
   */
  compacted?: boolean;
}

export interface BusHealth {
  up: boolean;
  detail?: string;
}

/** Lag of one consumer group on one partition: messages written but not yet committed. */
export interface ConsumerLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface MessageBus {
  /** Creates the topics if they do not exist (idempotent). */
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** Resolves once every message is durably accepted by the bus. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<ConsumerHandle>;
  lag(group: string, topic: string): Promise<ConsumerLag[]>;
  health(): Promise<BusHealth>;
  close(): Promise<void>;
}
