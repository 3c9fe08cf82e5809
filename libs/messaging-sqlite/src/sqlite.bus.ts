import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { BusHealth, ConsumeOptions, ConsumerHandle, ConsumerLag, IncomingMessage, MessageBus, OutgoingMessage, TopicSpec } from '@monitor/messaging';
import { partitionForKey } from '@monitor/messaging';

export interface SqliteBusOptions {
  /** A better-sqlite3 database (the embedded store's file, or ':memory:' in tests). */
  db: Database.Database;
  defaultPartitions?: number;
  /** Committed messages older than this are pruned. */
  retentionMs?: number;
  /**
   * How often the bus prunes on its own (0: never; tests call prune()). The embedded monitor runs
   * for months on one file: without this the log of every topic would grow without end.
   */
  pruneEveryMs?: number;
  retryBaseMs?: number;
  /**
   * How often a consumer looks for messages that another connection (another process or thread on
   * the same file) committed; this process's own publishes wake it at once.
   */
  otherWritersPollMs?: number;
  /** How long an idle partition waits before it looks again anyway. */
  idleRecheckMs?: number;
  retryMaxMs?: number;
}

interface GroupMember {
  id: number;
  options: ConsumeOptions;
  partitions: Set<number>;
  stopped: boolean;
  loops: Map<number, Promise<void>>;
}

/**
 * The embedded adapter of the messaging port: a partitioned, durable log in the same SQLite file
 * as the embedded store. Durable because "nothing is lost" must hold across a restart in embedded
 * mode too: an item the collector published is still there for the indexer after a crash.
 * Consumer groups, per-partition ordering and commit-after-work follow Kafka's semantics.
 */
export class SqliteBus implements MessageBus {
  private readonly db: Database.Database;
  private readonly events = new EventEmitter();
  private readonly groups = new Map<string, GroupMember[]>();
  private readonly partitionCounts = new Map<string, number>();
  private nextMemberId = 1;
  private closed = false;
  private readonly opts: Required<Omit<SqliteBusOptions, 'db'>>;
  private otherWritersTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;

  constructor(options: SqliteBusOptions) {
    this.db = options.db;
    this.opts = {
      defaultPartitions: options.defaultPartitions ?? 3,
      retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
      retryBaseMs: options.retryBaseMs ?? 200,
      retryMaxMs: options.retryMaxMs ?? 10_000,
      otherWritersPollMs: options.otherWritersPollMs ?? 50,
      idleRecheckMs: options.idleRecheckMs ?? 1_000,
      pruneEveryMs: options.pruneEveryMs ?? 3600_000,
    };
    this.events.setMaxListeners(0);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bus_topics (topic TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS bus_messages (
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key TEXT NOT NULL, value TEXT NOT NULL, headers TEXT NOT NULL, created_at INTEGER NOT NULL,
        PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS bus_offsets (
        grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, committed INTEGER NOT NULL,
        PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
    `);
    // Files written before compacted topics existed lack the column.
    const columns = this.db.prepare('PRAGMA table_info(bus_topics)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'compacted')) this.db.exec('ALTER TABLE bus_topics ADD COLUMN compacted INTEGER NOT NULL DEFAULT 0');
    if (this.opts.pruneEveryMs > 0) {
      this.pruneTimer = setInterval(() => {
        try {
          this.prune();
        } catch {
          // A busy or closing file: the next round prunes what this one left; nothing is lost by waiting.
        }
      }, this.opts.pruneEveryMs);
      this.pruneTimer.unref();
    }
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO bus_topics (topic, partitions, compacted) VALUES (?, ?, ?)');
    for (const spec of specs) insert.run(spec.topic, spec.partitions, spec.compacted ? 1 : 0);
    this.partitionCounts.clear();
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    if (messages.length === 0) return;
    const partitions = this.partitionsOf(topic);
    const nextOffset = this.db.prepare('SELECT COALESCE(MAX(offset), -1) + 1 AS next FROM bus_messages WHERE topic = ? AND partition = ?');
    const insert = this.db.prepare(
      'INSERT INTO bus_messages (topic, partition, offset, key, value, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const touched = new Set<number>();
    // IMMEDIATE: the transaction reads the next offset, then writes. Begun as a reader, it could not
    // become a writer once another process sharing the file (a second monitor process) had written
    // in between, and SQLite fails that at once with "database is locked", busy timeout or not.
    this.db.transaction(() => {
      const now = Date.now();
      for (const message of messages) {
        const partition = partitionForKey(message.key, partitions);
        const { next } = nextOffset.get(topic, partition) as { next: number };
        insert.run(topic, partition, next, message.key, message.value, JSON.stringify(message.headers ?? {}), now);
        touched.add(partition);
      }
    }).immediate();
    for (const partition of touched) this.events.emit(`${topic}/${partition}`);
  }

  async consume(options: ConsumeOptions): Promise<ConsumerHandle> {
    this.watchOtherWriters();
    const members = this.groups.get(options.group + '\u0000' + options.topic) ?? [];
    this.groups.set(options.group + '\u0000' + options.topic, members);
    const member: GroupMember = { id: this.nextMemberId++, options, partitions: new Set(), stopped: false, loops: new Map() };
    members.push(member);
    this.rebalance(options.group, options.topic);
    return {
      stop: async () => {
        member.stopped = true;
        const index = members.indexOf(member);
        if (index >= 0) members.splice(index, 1);
        this.events.emit('wake');
        await Promise.all(member.loops.values());
        this.rebalance(options.group, options.topic);
      },
    };
  }

  async lag(group: string, topic: string): Promise<ConsumerLag[]> {
    const rows = this.db
      .prepare(
        `SELECT m.partition AS partition, MAX(m.offset) + 1 - COALESCE(o.committed, 0) AS lag
         FROM bus_messages m LEFT JOIN bus_offsets o ON o.grp = ? AND o.topic = m.topic AND o.partition = m.partition
         WHERE m.topic = ? GROUP BY m.partition`,
      )
      .all(group, topic) as { partition: number; lag: number }[];
    return rows.map((row) => ({ group, topic, partition: row.partition, lag: Math.max(0, row.lag) }));
  }

  async health(): Promise<BusHealth> {
    return this.closed ? { up: false, detail: 'closed' } : { up: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.otherWritersTimer);
    clearInterval(this.pruneTimer);
    const all = [...this.groups.values()].flat();
    for (const member of all) member.stopped = true;
    this.events.emit('wake');
    await Promise.all(all.flatMap((member) => [...member.loops.values()]));
  }

  /**
   * Deletes messages that every group has committed and that are past retention. A compacted
   * topic keeps all of its messages: it is a changelog that a new reader reads from the start.
   * The last message of each partition stays whatever its age: the next offset follows from it,
   * and a partition emptied would number its next message 0, below what its readers committed.
   */
  prune(now = Date.now()): number {
    const result = this.db
      .prepare(
        `DELETE FROM bus_messages WHERE created_at < ? AND offset < COALESCE(
           (SELECT MIN(committed) FROM bus_offsets o WHERE o.topic = bus_messages.topic AND o.partition = bus_messages.partition), 0)
         AND offset < (SELECT MAX(offset) FROM bus_messages l WHERE l.topic = bus_messages.topic AND l.partition = bus_messages.partition)
         AND topic NOT IN (SELECT topic FROM bus_topics WHERE compacted = 1)`,
      )
      .run(now - this.opts.retentionMs);
    return result.changes;
  }

  private partitionsOf(topic: string): number {
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      const row = this.db.prepare('SELECT partitions FROM bus_topics WHERE topic = ?').get(topic) as { partitions: number } | undefined;
      if (!row) {
        // Like Kafka with auto-creation on: an unknown topic is created with the default count.
        this.db.prepare('INSERT OR IGNORE INTO bus_topics (topic, partitions) VALUES (?, ?)').run(topic, this.opts.defaultPartitions);
      }
      count = row?.partitions ?? this.opts.defaultPartitions;
      this.partitionCounts.set(topic, count);
    }
    return count;
  }

  /** Spreads a topic's partitions over the group's live members, round robin, as Kafka's assignors do. */
  private rebalance(group: string, topic: string): void {
    const members = (this.groups.get(group + '\u0000' + topic) ?? []).filter((m) => !m.stopped);
    const partitions = this.partitionsOf(topic);
    members.forEach((member) => member.partitions.clear());
    if (members.length === 0) return;
    for (let p = 0; p < partitions; p++) members[p % members.length].partitions.add(p);
    for (const member of members) {
      member.options.onAssignment?.({ partitions: [...member.partitions].sort((a, b) => a - b), partitionCount: partitions });
      for (const partition of member.partitions) {
        if (!member.loops.has(partition)) {
          const loop = this.runPartition(member, partition).finally(() => member.loops.delete(partition));
          member.loops.set(partition, loop);
        }
      }
    }
  }

  private async runPartition(member: GroupMember, partition: number): Promise<void> {
    const { topic, group } = member.options;
    const maxBatch = member.options.maxBatchSize ?? 100;
    const committedStmt = this.db.prepare('SELECT committed FROM bus_offsets WHERE grp = ? AND topic = ? AND partition = ?');
    const fetchStmt = this.db.prepare(
      'SELECT offset, key, value, headers FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    );
    const commitStmt = this.db.prepare(
      'INSERT INTO bus_offsets (grp, topic, partition, committed) VALUES (?, ?, ?, ?) ON CONFLICT (grp, topic, partition) DO UPDATE SET committed = excluded.committed',
    );
    let failures = 0;
    const owns = () => !member.stopped && !this.closed && member.partitions.has(partition);
    while (owns()) {
      const committed = (committedStmt.get(group, topic, partition) as { committed: number } | undefined)?.committed ?? 0;
      const rows = fetchStmt.all(topic, partition, committed, maxBatch) as { offset: number; key: string; value: string; headers: string }[];
      if (rows.length === 0) {
        await this.waitForMessages(`${topic}/${partition}`, this.opts.idleRecheckMs);
        continue;
      }
      const batch: IncomingMessage[] = rows.map((row) => ({
        topic,
        partition,
        offset: String(row.offset),
        key: row.key,
        value: row.value,
        headers: JSON.parse(row.headers) as Record<string, string>,
      }));
      try {
        await member.options.handleBatch(batch);
        if (!owns() && this.closed) return;
        commitStmt.run(group, topic, partition, rows[rows.length - 1].offset + 1);
        failures = 0;
        // A busy partition would otherwise go from batch to batch in promise continuations only,
        // and the process's sockets (webhook answers, API requests, SSE) would wait until it ran dry.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        // At-least-once: the batch stays uncommitted and is delivered again after a capped backoff.
        failures++;
        member.options.onBatchFailed?.(error, batch, failures);
        const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(failures - 1, 16));
        await this.waitForMessages('wake', delay * (0.5 + Math.random() / 2));
      }
    }
  }

  /**
   * Wakes the consumers when another connection committed to the file. `PRAGMA data_version`
   * changes exactly then and costs no table read, so the check can be frequent; without it a
   * message published by another process waited for a consumer's idle timeout (a second).
   */
  private watchOtherWriters(): void {
    if (this.otherWritersTimer) return;
    const version = this.db.prepare('PRAGMA data_version').pluck();
    let seen = version.get();
    this.otherWritersTimer = setInterval(() => {
      if (this.closed) return;
      const now = version.get();
      if (now !== seen) {
        seen = now;
        this.events.emit('wake');
      }
    }, this.opts.otherWritersPollMs);
    this.otherWritersTimer.unref();
  }

  private waitForMessages(event: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off(event, done);
        this.events.off('wake', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.once(event, done);
      this.events.once('wake', done);
    });
  }
}
