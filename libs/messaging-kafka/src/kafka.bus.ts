import { MonitorError } from '@monitor/contracts';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import {
  Admin,
  Consumer,
  EachBatchPayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  Message,
  logCreator,
  logLevel,
  Partitioners,
  Producer,
  RetryOptions,
} from 'kafkajs';
import { BusHealth, ConsumeOptions, ConsumerHandle, ConsumerLag, IncomingMessage, MessageBus, OutgoingMessage, TopicSpec, partitionForKey } from '@monitor/messaging';
import { consoleKafkaLogCreator, KafkaLogSink, kafkaLogCreator } from './kafka-log';

/*
 * Why kafkajs directly and not the Kafka transport of @nestjs/microservices: that transport runs
 * one handler per message and commits as it goes (auto-commit), so it cannot hold a partition's
 * offset until a whole bulk (an Elasticsearch `_bulk`, say) has been acknowledged; it has no
 * dead-letter path; and a handler error there either loses the message or crashes the consumer.
 * The port needs commit-after-batch, redelivery of a failed batch without moving on, and the
 * event-stream layer's dead-letter routing, so the adapter drives kafkajs's `eachBatch` itself.
 */

/** The broker could not be reached or did not answer in time; worth retrying later. */
export class BusUnavailableError extends MonitorError {
  constructor(message: string, cause?: unknown) {
    super('BUS_UNAVAILABLE', message, { retriable: true, cause });
  }
}

/** The broker answered and said no (a replication factor above the broker count, say): retrying will not help. */
export class BusRequestRejectedError extends MonitorError {
  constructor(message: string, cause?: unknown) {
    super('BUS_REQUEST_REJECTED', message, { retriable: false, cause });
  }
}

/**
 * Sorts a kafkajs failure: a protocol error the broker marks non-retriable is a rejection; all
 * else (connection refused, timeouts, retries exhausted while the broker is away) is unavailability.
 */
function busError(action: string, error: unknown): MonitorError {
  const message = `${action}: ${(error as Error).message}`;
  const causes = (error as { errors?: unknown[] }).errors ?? [error];
  const rejected = causes.every((c) => typeof (c as { type?: unknown }).type === 'string' && (c as { retriable?: boolean }).retriable === false);
  return rejected ? new BusRequestRejectedError(message, error) : new BusUnavailableError(message, error);
}

export interface KafkaConsumerTuning {
  /** The broker drops a member it has not heard from for this long (broker minimum: 6000). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin. */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for new data; also bounds how long `stop()` waits for a fetch. */
  maxWaitTimeMs?: number;
  /** Partitions of one consumer handled at the same time (order within a partition holds). */
  partitionsConsumedConcurrently?: number;
  /**
   * Most bytes one fetch brings from one partition. It bounds the batches handed to a stage: at
   * kafkajs's default (1 MiB) a partition of classified articles (some 5 kB each) gives bulks of
   * under 200, well below what Elasticsearch ingests best.
   */
  maxBytesPerPartition?: number;
  /** Most bytes one fetch brings in all. */
  maxBytes?: number;
}

export interface KafkaBusOptions {
  brokers: string[];
  clientId?: string;
  consumer?: KafkaConsumerTuning;
  /** Backoff before a failed batch is delivered again: doubles from base up to max. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** `health()` reports down when the cluster does not answer within this time. */
  healthTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** kafkajs's retry of a request while the broker is unreachable, before a call fails. */
  retry?: RetryOptions;
  logLevel?: logLevel;
  /** Routes kafkajs's log lines (to pino, for instance); kafkajs writes to the console otherwise. */
  logCreator?: logCreator;
  /** The service's logger: kafkajs's lines go there as JSON (ignored when `logCreator` is given). */
  logger?: KafkaLogSink;
  /**
   * Put before every topic name (and so every consumer group) on the broker: several monitors, or
   * a test's own stack, can share one cluster without reading each other's messages. The port's
   * callers keep using the contract's topic names.
   */
  topicPrefix?: string;
  /**
   * Largest produce request the bus sends at once; a bigger publish goes in several, in order.
   * The broker refuses a record batch above its `message.max.bytes` (1 MiB by default), and one
   * consumer batch republished under the same keys lands on one partition as one record batch.
   */
  maxRequestBytes?: number;
  /**
   * How long a publish keeps trying while the broker cannot be reached, on top of kafkajs's own
   * retries (default 30 s; 0: fail at the first unavailability).
   */
  publishRetryMs?: number;
  /**
   * How long `consume` keeps trying to join while the cluster cannot serve the topic yet (default
   * 30 s; 0: fail at the first try). On a cluster, a topic another service has just created is
   * known to some brokers a moment before the others, and a consumer that asks one of the latter
   * is told UNKNOWN_TOPIC_OR_PARTITION.
   */
  consumeRetryMs?: number;
}

interface RunningConsumer {
  /** Replaced when the bus starts the consumer again after kafkajs gave up on it. */
  consumer: Consumer;
  timers: Set<NodeJS.Timeout>;
  /** Consecutive failed batches per partition, for the backoff; a success clears it. */
  failures: Map<number, number>;
  /** Consecutive restarts after crashes, for their backoff; a handled batch clears it. */
  restarts: number;
  stopping?: Promise<void>;
}

/** The longest wait before a crashed consumer is started again. */
const MAX_RESTART_DELAY_MS = 30_000;

const DEFAULT_CONSUMER: Required<KafkaConsumerTuning> = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 1_000,
  partitionsConsumedConcurrently: 3,
  maxBytesPerPartition: 8 * 1024 * 1024,
  maxBytes: 32 * 1024 * 1024,
};

/**
 * Kafka group ids are scoped to the topic (`<group>.<topic>`), as the embedded bus scopes its
 * groups: kafkajs's assigners hand a group's partitions of every subscribed topic to every member,
 * whatever that member subscribed to, so two `consume()` calls of one group on two topics would
 * receive each other's messages.
 */
export function kafkaGroupId(group: string, topic: string): string {
  return `${group}.${topic}`;
}

/** The messaging port on Kafka (kafkajs): idempotent producer, commit after the batch's work. */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  /** A client that never retries, so a health probe answers within its timeout. */
  private readonly probe: Kafka;
  private readonly tuning: Required<KafkaConsumerTuning>;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly healthTimeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly topicPrefix: string;
  private readonly maxRequestBytes: number;
  private readonly publishRetryMs: number;
  private readonly consumeRetryMs: number;
  private producer?: Promise<Producer>;
  /** Partitions per physical topic, read once (see reportAssignments on why not live). */
  private readonly partitionCounts = new Map<string, Promise<number>>();
  private admin?: Promise<Admin>;
  private probeAdmin?: Promise<Admin>;
  private readonly consumers = new Set<RunningConsumer>();
  private closed = false;

  constructor(options: KafkaBusOptions) {
    // Long enough to ride out a broker restart of some seconds before a call fails.
    this.retry = options.retry ?? { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 };
    this.topicPrefix = options.topicPrefix ?? '';
    this.maxRequestBytes = options.maxRequestBytes ?? 900 * 1024;
    this.publishRetryMs = options.publishRetryMs ?? 30_000;
    this.consumeRetryMs = options.consumeRetryMs ?? 30_000;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'drug-monitor',
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      retry: this.retry,
      // kafkajs logs every rebalance and reconnection at INFO; only trouble is worth a line.
      logLevel: options.logLevel ?? logLevel.WARN,
      logCreator: options.logCreator ?? (options.logger ? kafkaLogCreator(options.logger) : consoleKafkaLogCreator()),
    });
    this.probe = new Kafka({
      clientId: `${options.clientId ?? 'drug-monitor'}-health`,
      brokers: options.brokers,
      connectionTimeout: options.healthTimeoutMs ?? 2_000,
      requestTimeout: options.healthTimeoutMs ?? 2_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    this.tuning = { ...DEFAULT_CONSUMER, ...options.consumer };
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.healthTimeoutMs = options.healthTimeoutMs ?? 2_000;
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    try {
      const existing = new Set(await admin.listTopics());
      // One request per topic: kafkajs fails a whole request if only some of its topics exist,
      // which happens when several services start at once and race to create them. A topic that
      // another service created in between is success (kafkajs resolves false for it).
      for (const spec of specs.filter((s) => !existing.has(this.physical(s.topic)))) {
        await admin.createTopics({
          // kafkajs's own wait gives up when the broker does not know a topic yet, which happens
          // for a moment after another service created it: see waitUntilServed.
          waitForLeaders: false,
          topics: [
            {
              topic: this.physical(spec.topic),
              numPartitions: spec.partitions,
              replicationFactor: spec.replicationFactor,
              ...(spec.compacted ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
            },
          ],
        });
      }
      await this.waitUntilServed(admin, specs.map((spec) => this.physical(spec.topic)));
    } catch (error) {
      throw busError('could not create topics', error);
    }
  }

  /**
   * A created topic reaches the broker's metadata a little later, and its partitions get leaders
   * later still; until then a publish or a consumer's subscription to it fails. Asked for all
   * topics, the broker simply leaves out one it does not know yet (asked for that one, it
   * answers with an error that kafkajs logs), so the listing is polled first.
   */
  private async waitUntilServed(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const listed = new Set(await admin.listTopics());
        if (topics.every((topic) => listed.has(topic))) {
          const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
          if (metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) return;
        }
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new BusUnavailableError(`topics not served within ${timeoutMs} ms: ${topics.join(', ')}`, last);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new BusUnavailableError('bus is closed');
    if (messages.length === 0) return;
    // kafkajs retries most calls, but a new producer's InitProducerId gives up at the first refused
    // connection, so a publish during a broker restart failed within a second. The budget is a
    // deadline rather than a count of attempts, because what it has to outlast is an outage.
    const deadline = Date.now() + this.publishRetryMs;
    const policy = retry(
      handleWhen((error) => error instanceof BusUnavailableError && !this.closed && Date.now() < deadline),
      { maxAttempts: Infinity, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 5_000 }) },
    );
    await policy.execute(() => this.publishOnce(topic, messages));
  }

  private async publishOnce(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const connected = this.connectedProducer();
    try {
      const producer = await connected;
      const physical = this.physical(topic);
      // One send per partition, naming it. kafkajs (2.2.4) sends one request per leader and, when
      // one of them is refused (NOT_LEADER_OR_FOLLOWER: leadership moved, as it does when a broker
      // dies or comes back), retries only towards leaders that have not answered yet; if the
      // partition's new leader is a broker that already took another partition's share, that share
      // is never sent and the send resolves anyway: lost, though acknowledged. With one partition
      // per send there is one leader per send, and a retry goes to whichever leads it now.
      // acks -1: resolves only when every in-sync replica has the batch (required when idempotent).
      // One request after the other keeps each key's messages in order.
      for (const [partition, share] of messagesByPartition(messages, await this.partitionCount(physical))) {
        for (const chunk of chunksOfBytes(share, this.maxRequestBytes)) {
          await producer.send({ topic: physical, acks: -1, messages: chunk.map((message) => ({ ...message, partition })) });
        }
      }
    } catch (error) {
      // The producer gave up with its sequence numbers in an unknown state: a batch the broker did
      // write would make it drop the caller's next batch as a "duplicate" of that one. A new
      // producer gets a new producer id, so nothing is dropped; the replayed batch may land twice,
      // which every consumer absorbs (they are idempotent by article id).
      if (this.producer === connected) this.producer = undefined;
      void disconnectSoon(connected);
      throw busError(`could not publish to ${topic}`, error);
    }
  }

  private partitionCount(physical: string): Promise<number> {
    let count = this.partitionCounts.get(physical);
    if (!count) {
      count = (async () => {
        const admin = await this.connectedAdmin();
        const { topics } = await admin.fetchTopicMetadata({ topics: [physical] });
        const partitions = topics[0]?.partitions.length ?? 0;
        if (partitions === 0) throw new BusUnavailableError(`topic ${physical} has no partitions yet`);
        return partitions;
      })();
      // A failed read is not remembered: the next publish asks again.
      count.catch(() => this.partitionCounts.delete(physical));
      this.partitionCounts.set(physical, count);
    }
    return count;
  }

  async consume(options: ConsumeOptions): Promise<ConsumerHandle> {
    if (this.closed) throw new BusUnavailableError('bus is closed');
    // Only unavailability is retried (a topic not yet known to the broker asked, a broker away);
    // a refusal, such as a group id the broker rejects, fails at once.
    const deadline = Date.now() + this.consumeRetryMs;
    const policy = retry(
      handleWhen((error) => error instanceof BusUnavailableError && !this.closed && Date.now() < deadline),
      { maxAttempts: Infinity, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 5_000 }) },
    );
    return policy.execute(() => this.consumeOnce(options));
  }

  private async consumeOnce(options: ConsumeOptions): Promise<ConsumerHandle> {
    if (this.closed) throw new BusUnavailableError('bus is closed');
    const running: RunningConsumer = { consumer: this.newConsumer(options), timers: new Set(), failures: new Map(), restarts: 0 };
    this.consumers.add(running);
    try {
      await this.runConsumer(running, options);
    } catch (error) {
      await this.stopConsumer(running);
      throw busError(`could not consume ${options.topic}`, error);
    }
    return { stop: () => this.stopConsumer(running) };
  }

  private newConsumer(options: ConsumeOptions): Consumer {
    return this.kafka.consumer({
      groupId: kafkaGroupId(options.group, this.physical(options.topic)),
      sessionTimeout: this.tuning.sessionTimeoutMs,
      heartbeatInterval: this.tuning.heartbeatIntervalMs,
      rebalanceTimeout: this.tuning.rebalanceTimeoutMs,
      maxWaitTimeInMs: this.tuning.maxWaitTimeMs,
      maxBytesPerPartition: this.tuning.maxBytesPerPartition,
      maxBytes: this.tuning.maxBytes,
      allowAutoTopicCreation: false,
    });
  }

  private async runConsumer(running: RunningConsumer, options: ConsumeOptions): Promise<void> {
    const consumer = running.consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs starts a consumer again only after an error it deems retriable; after any other
      // (a broker restart can surface one) the consumer stays down and the stage would silently
      // stop moving. Offsets are committed only after the work, so starting again loses nothing.
      if (payload.restart || running.stopping || this.closed || running.consumer !== consumer) return;
      this.restartLater(running, options, payload.error);
    });
    if (options.onAssignment) await this.reportAssignments(consumer, options, options.onAssignment);
    await consumer.connect();
    // A group that has never committed starts at the oldest message, as the embedded bus does:
    // nothing published before the first consumer started is skipped.
    await consumer.subscribe({ topics: [this.physical(options.topic)], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.tuning.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleFetchedBatch(running, options, payload),
    });
  }

  /**
   * Tells `onAssignment` what each join of the group handed this member. The partition count is
   * read once: adding partitions to a topic moves its keys anyway, so it is not done live.
   */
  private async reportAssignments(consumer: Consumer, options: ConsumeOptions, onAssignment: NonNullable<ConsumeOptions['onAssignment']>): Promise<void> {
    const physical = this.physical(options.topic);
    const admin = await this.connectedAdmin();
    const { topics } = await admin.fetchTopicMetadata({ topics: [physical] });
    const partitionCount = topics[0]?.partitions.length ?? 0;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = [...(payload.memberAssignment[physical] ?? [])].sort((a, b) => a - b);
      onAssignment({ partitions, partitionCount });
    });
    // A crashed consumer is out of the group until it rejoins; its partitions may already be another member's.
    consumer.on(consumer.events.CRASH, () => onAssignment({ partitions: [], partitionCount }));
  }

  private restartLater(running: RunningConsumer, options: ConsumeOptions, error: Error): void {
    running.restarts += 1;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, 1_000 * 2 ** (running.restarts - 1));
    this.kafka.logger().error(`consumer of ${options.topic} for group ${options.group} stopped; starting it again in ${delayMs} ms`, {
      error: error.message,
      restarts: running.restarts,
    });
    const timer = setTimeout(() => {
      running.timers.delete(timer);
      if (running.stopping || this.closed) return;
      void (async () => {
        await running.consumer.disconnect().catch(() => undefined);
        running.consumer = this.newConsumer(options);
        await this.runConsumer(running, options);
        // Stopped while this one was starting: stopConsumer may have disconnected the one before it.
        if (running.stopping) await running.consumer.disconnect().catch(() => undefined);
      })().catch((startError: unknown) => this.restartLater(running, options, startError as Error));
    }, delayMs);
    running.timers.add(timer);
  }

  async lag(group: string, topic: string): Promise<ConsumerLag[]> {
    const admin = await this.connectedAdmin();
    const physical = this.physical(topic);
    // Just after a topic is created or a leader moves, a broker answers "not the leader" for a
    // moment; kafkajs marks that retriable but its admin does not retry offset listings itself.
    const leaderMoving = retry(
      handleWhen((error) => (error as { retriable?: unknown }).retriable === true && !this.closed),
      { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }) },
    );
    const [ends, committed] = await leaderMoving
      .execute(() => Promise.all([admin.fetchTopicOffsets(physical), admin.fetchOffsets({ groupId: kafkaGroupId(group, physical), topics: [physical] })]))
      .catch((error: unknown) => {
        throw busError(`could not read the lag of ${group} on ${topic}`, error);
      });
    const committedByPartition = new Map(
      (committed.find((t) => t.topic === physical)?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
    );
    return ends
      .map((end) => {
        const done = committedByPartition.get(end.partition) ?? -1n;
        // -1 means "never committed": the group will start at the oldest retained message.
        const from = done >= 0n ? done : BigInt(end.low);
        const lag = BigInt(end.high) - from;
        return { group, topic, partition: end.partition, lag: Number(lag > 0n ? lag : 0n) };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  async health(): Promise<BusHealth> {
    if (this.closed) return { up: false, detail: 'closed' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.healthTimeoutMs} ms`)), this.healthTimeoutMs);
    });
    try {
      this.probeAdmin ??= connectOnce(
        () => this.probe.admin(),
        () => (this.probeAdmin = undefined),
      );
      const cluster = await Promise.race([this.probeAdmin.then((admin) => admin.describeCluster()), timeout]);
      return { up: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
    } catch (error) {
      // Reconnect on the next probe: the broker may have come back on a new connection.
      const stale = this.probeAdmin;
      this.probeAdmin = undefined;
      void stale?.then((admin) => admin.disconnect()).catch(() => undefined);
      return { up: false, detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((running) => this.stopConsumer(running)));
    await Promise.all([this.producer, this.admin, this.probeAdmin].map((client) => disconnectSoon(client)));
  }

  /**
   * One fetched batch of one partition, handed to `handleBatch` in slices of `maxBatchSize`. A
   * slice's offsets are resolved and committed only after its handler resolved. When the handler
   * throws, nothing is committed: the consumer seeks back to the slice's first offset and pauses
   * the partition for a capped backoff, so the partition does not move past a batch that has not
   * succeeded (event-stream already sent unprocessable messages to the dead-letter topic, so a
   * throw here means a transient failure: Elasticsearch or SMTP away, say).
   */
  private async handleFetchedBatch(running: RunningConsumer, options: ConsumeOptions, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, pause } = payload;
    const size = Math.max(1, options.maxBatchSize ?? batch.messages.length);
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      const slice = batch.messages.slice(start, start + size);
      const messages = slice.map((m) => toIncoming(options.topic, batch.partition, m));
      // A long handler (a big bulk) must not make the broker think this member died.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), this.tuning.heartbeatIntervalMs);
      try {
        await options.handleBatch(messages);
      } catch (error) {
        clearInterval(beat);
        const attempt = (running.failures.get(batch.partition) ?? 0) + 1;
        running.failures.set(batch.partition, attempt);
        options.onBatchFailed?.(error, messages, attempt);
        running.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: slice[0].offset });
        const resume = pause();
        const timer = setTimeout(() => {
          running.timers.delete(timer);
          resume();
        }, Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1)));
        running.timers.add(timer);
        return;
      }
      clearInterval(beat);
      running.failures.delete(batch.partition);
      running.restarts = 0;
      const last = slice[slice.length - 1].offset;
      resolveOffset(last);
      await running.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    }
  }

  private async stopConsumer(running: RunningConsumer): Promise<void> {
    running.stopping ??= (async () => {
      for (const timer of running.timers) clearTimeout(timer);
      running.timers.clear();
      await running.consumer.disconnect().catch(() => undefined);
      this.consumers.delete(running);
    })();
    return running.stopping;
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= connectOnce(
      () =>
        this.kafka.producer({
          idempotent: true,
          // Bounded, so that a publish fails while the broker stays away (see `publish` for why
          // that keeps idempotence sound); kafkajs would otherwise retry an idempotent send forever.
          retry: this.retry,
          // Required by idempotence in kafkajs; also keeps one key's messages in order on retry.
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // Kafka's own murmur2 partitioner, which the embedded bus's key-partitioner mirrors.
          createPartitioner: Partitioners.DefaultPartitioner,
        }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  /** The topic's name on the broker. */
  private physical(topic: string): string {
    return this.topicPrefix + topic;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= connectOnce(
      () => this.kafka.admin(),
      () => (this.admin = undefined),
    );
    return this.admin;
  }
}

/** Connects a client once; a failed connection is forgotten so that the next call tries again. */
async function connectOnce<T extends { connect(): Promise<void> }>(create: () => T, forget: () => void): Promise<T> {
  const client = create();
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw new BusUnavailableError(`could not connect to Kafka: ${(error as Error).message}`, error);
  }
}

/**
 * Disconnects a client; one still connecting (the broker is away) is given a moment and is
 * otherwise disconnected whenever its connection attempt ends, so `close()` does not hang.
 */
async function disconnectSoon(client: Promise<Producer | Admin> | undefined): Promise<void> {
  if (!client) return;
  const disconnect = client.then((c) => c.disconnect()).catch(() => undefined);
  await Promise.race([disconnect, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
}

/**
 * Splits messages into runs of at most `maxBytes` (a lone bigger message is a run of its own), as
 * kafkajs messages. The value is encoded to UTF-8 here, once: given a string, kafkajs measures it
 * twice more before writing it, and the value is nearly all of a message.
 */
/** The messages by the partition their key maps to (as kafkajs's default partitioner would), each partition's in their order. */
export function messagesByPartition(messages: OutgoingMessage[], partitionCount: number): Map<number, OutgoingMessage[]> {
  const byPartition = new Map<number, OutgoingMessage[]>();
  for (const message of messages) {
    const partition = partitionForKey(message.key, partitionCount);
    const share = byPartition.get(partition);
    if (share) share.push(message);
    else byPartition.set(partition, [message]);
  }
  return byPartition;
}

function chunksOfBytes(messages: OutgoingMessage[], maxBytes: number): Message[][] {
  const chunks: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const value = Buffer.from(message.value, 'utf8');
    // Record overhead (lengths, offsets, timestamps) is some tens of bytes; 64 errs on the safe side,
    // as three bytes per UTF-16 unit does for the short key and headers.
    let size = 64 + message.key.length * 3 + value.length;
    for (const name in message.headers) size += (name.length + message.headers[name].length) * 3 + 8;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ key: message.key, value, headers: message.headers });
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value?.toString('utf8') ?? '',
    headers: headersToStrings(message.headers),
  };
}

/** Kafka allows a header to repeat; the port carries one value per name, so the last one wins. */
function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return out;
}
