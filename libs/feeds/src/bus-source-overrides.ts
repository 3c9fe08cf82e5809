import { randomUUID } from 'node:crypto';
import { MonitorError, SOURCES_TOPIC, SourceChangeSchema, type SourceChange } from '@monitor/contracts';
import type { ConsumerHandle, IncomingMessage, MessageBus } from '@monitor/messaging';
import { parseSourceConfig } from './source-config';
import type { SourceOverride, SourceOverrideStore } from './source-override.port';

/** Identifies a write of this process in its echo from the bus. */
const WRITE_HEADER = 'x-source-write';

export interface BusSourceOverridesOptions {
  bus: MessageBus;
  /** Default SOURCES_TOPIC; tests give their own. */
  topic?: string;
  /**
   * This instance's consumer group. Each process must read every partition of the changelog, so
   * the group is its own (a fresh one per start by default: it reads from the oldest message). On
   * Kafka the group's offsets expire with the broker's `offsets.retention.minutes`.
   */
  readerGroup?: string;
  /** How long `open` waits for the changelog to be read to its end before failing. */
  catchUpTimeoutMs?: number;
  /** Told of a message that is not a valid change (skipped: another version wrote it). */
  onInvalid?(message: IncomingMessage, problem: string): void;
  now?: () => Date;
}

/** The changelog could not be read to its end in time: the sources in force are unknown, so the process must not serve. */
export class SourcesNotLoadedError extends MonitorError {
  constructor(message: string, cause?: unknown) {
    super('SOURCES_NOT_LOADED', message, { retriable: true, cause });
  }
}

/**
 * The API's changes to sources on the message bus (the compacted topic sources.v1, keyed by source
 * id), for the stack, where no process may keep state of its own: every process reads the whole
 * changelog into memory before it serves, then keeps following it, so a change made through any
 * api replica reaches every collector. Works on any adapter of the messaging port.
 */
export class BusSourceOverrides implements SourceOverrideStore {
  private readonly overrides = new Map<string, SourceOverride>();
  private readonly listeners = new Set<() => void>();
  /**
   * Source id -> the token of this process's latest write not yet read back. Until it is, any
   * message of that source read from the log predates the write and must not undo it locally.
   */
  private readonly unconfirmed = new Map<string, string>();
  private readonly topic: string;
  private readonly now: () => Date;
  private consumer?: ConsumerHandle;

  private constructor(private readonly options: BusSourceOverridesOptions) {
    this.topic = options.topic ?? SOURCES_TOPIC;
    this.now = options.now ?? (() => new Date());
  }

  /** Reads the changelog to its end, then keeps following it. */
  static async open(options: BusSourceOverridesOptions): Promise<BusSourceOverrides> {
    const store = new BusSourceOverrides(options);
    await store.follow();
    return store;
  }

  all(): SourceOverride[] {
    return [...this.overrides.values()].map((override) => structuredClone(override));
  }

  async put(override: SourceOverride): Promise<void> {
    const token = randomUUID();
    const previous = this.overrides.get(override.sourceId);
    this.overrides.set(override.sourceId, structuredClone(override));
    this.unconfirmed.set(override.sourceId, token);
    const change: SourceChange = { schema: 'sources.v1', ...override, config: override.config ?? null, changedAt: this.now().toISOString() };
    try {
      await this.options.bus.publish(this.topic, [{ key: override.sourceId, value: JSON.stringify(change), headers: { [WRITE_HEADER]: token } }]);
    } catch (error) {
      // Not on the bus, so not in force: undo the local view unless a later write replaced it.
      if (this.unconfirmed.get(override.sourceId) === token) {
        this.unconfirmed.delete(override.sourceId);
        if (previous) this.overrides.set(override.sourceId, previous);
        else this.overrides.delete(override.sourceId);
      }
      throw error;
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  private async follow(): Promise<void> {
    const group = this.options.readerGroup ?? `sources-reader-${randomUUID()}`;
    this.consumer = await this.options.bus.consume({ topic: this.topic, group, handleBatch: async (batch) => batch.forEach((m) => this.apply(m)) });
    // Caught up when the group has committed everything written so far: nothing is left to read.
    const timeoutMs = this.options.catchUpTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const lag = await this.options.bus.lag(group, this.topic);
        if (lag.every((partition) => partition.lag === 0)) return;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        await this.close().catch(() => undefined);
        throw new SourcesNotLoadedError(`the changes to sources (${this.topic}) were not read to their end within ${timeoutMs} ms`, lastError);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private apply(message: IncomingMessage): void {
    const override = this.parse(message);
    if (!override) return;
    const pending = this.unconfirmed.get(override.sourceId);
    if (pending !== undefined) {
      if (message.headers[WRITE_HEADER] !== pending) return;
      this.unconfirmed.delete(override.sourceId);
    }
    const before = this.overrides.get(override.sourceId);
    this.overrides.set(override.sourceId, override);
    if (JSON.stringify(before) !== JSON.stringify(override)) for (const listener of this.listeners) listener();
  }

  private parse(message: IncomingMessage): SourceOverride | undefined {
    try {
      const change = SourceChangeSchema.parse(JSON.parse(message.value));
      if (change.sourceId !== message.key) throw new Error(`keyed '${message.key}' but about '${change.sourceId}'`);
      const config = change.config === null ? null : parseSourceConfig(change.config, 'config');
      return { sourceId: change.sourceId, config, enabled: change.enabled, removed: change.removed };
    } catch (error) {
      this.options.onInvalid?.(message, (error as Error).message);
      return undefined;
    }
  }
}
