import { DeliveryKey, DeliveryLog, DeliveryQuery, DeliveryRecord, NewDelivery } from '../delivery-log.port';

interface Row extends DeliveryRecord {
  leaseUntil: number;
}

const keyOf = (key: DeliveryKey) => `${key.alertId}\n${key.channel}`;

/** The delivery log in memory, leases by the given clock, for tests of what uses the port. */
export class MemoryDeliveryLog implements DeliveryLog {
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly rows = new Map<string, Row>(),
  ) {}

  /** Another instance over the same rows, as a replica sharing the log has. */
  sibling(): MemoryDeliveryLog {
    return new MemoryDeliveryLog(this.now, this.rows);
  }

  async enqueue(deliveries: NewDelivery[]): Promise<NewDelivery[]> {
    const at = this.now().toISOString();
    const added: NewDelivery[] = [];
    for (const d of deliveries) {
      if (this.rows.has(keyOf(d))) continue;
      added.push(d);
      const { alertId, channel, kind, subscriptionId, ownerKeyId } = d;
      this.rows.set(keyOf(d), {
        alertId, channel, kind, subscriptionId, ownerKeyId, status: 'pending', attempts: 0, lastError: null, deadLetterPending: false,
        createdAt: at, updatedAt: at, deliveredAt: null, leaseUntil: 0,
      });
    }
    return added;
  }

  async claim(key: DeliveryKey, leaseMs: number): Promise<boolean> {
    const row = this.rows.get(keyOf(key));
    const now = this.now().getTime();
    if (!row || row.status !== 'pending' || row.leaseUntil > now) return false;
    row.leaseUntil = now + leaseMs;
    return true;
  }

  async claimStale(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    return this.claimWhere((r) => r.status === 'pending', (a, b) => a.createdAt.localeCompare(b.createdAt), limit, leaseMs);
  }

  async renew(keys: DeliveryKey[], leaseMs: number): Promise<void> {
    const now = this.now().getTime();
    for (const key of keys) {
      const row = this.rows.get(keyOf(key));
      if (row && (row.status === 'pending' || row.deadLetterPending) && row.leaseUntil > now) row.leaseUntil = now + leaseMs;
    }
  }

  async startAttempt(key: DeliveryKey, maxAttempts: number): Promise<number | null> {
    const row = this.rows.get(keyOf(key));
    if (!row || row.status !== 'pending' || row.attempts >= maxAttempts) return null;
    this.change(key, (r) => void (r.attempts += 1));
    return row.attempts;
  }

  async recordError(key: DeliveryKey, error: string): Promise<void> {
    this.change(key, (row) => {
      if (row.status === 'pending') row.lastError = error;
    });
  }

  async release(key: DeliveryKey): Promise<void> {
    const row = this.rows.get(keyOf(key));
    if (row && (row.status === 'pending' || row.deadLetterPending)) row.leaseUntil = 0;
  }

  async markDelivered(key: DeliveryKey): Promise<void> {
    this.change(key, (row, at) => Object.assign(row, { status: 'delivered', deliveredAt: at, leaseUntil: 0 }));
  }

  async markFailed(key: DeliveryKey, reason: string, deadLetterLeaseMs?: number): Promise<boolean> {
    if (this.rows.get(keyOf(key))?.status !== 'pending') return false;
    const lease = deadLetterLeaseMs === undefined ? 0 : this.now().getTime() + deadLetterLeaseMs;
    this.change(key, (row) => Object.assign(row, { status: 'failed', lastError: reason, deadLetterPending: deadLetterLeaseMs !== undefined, leaseUntil: lease }));
    return true;
  }

  async claimDeadLetters(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    return this.claimWhere((r) => r.status === 'failed' && r.deadLetterPending, (a, b) => a.updatedAt.localeCompare(b.updatedAt), limit, leaseMs);
  }

  async markDeadLettered(key: DeliveryKey): Promise<void> {
    const row = this.rows.get(keyOf(key));
    if (row) Object.assign(row, { deadLetterPending: false, leaseUntil: 0 });
  }

  async get(key: DeliveryKey): Promise<DeliveryRecord | null> {
    const row = this.rows.get(keyOf(key));
    return row ? recordOf(row) : null;
  }

  async list(query: DeliveryQuery): Promise<DeliveryRecord[]> {
    return [...this.rows.values()]
      .filter((r) => (query.ownerKeyId === undefined || r.ownerKeyId === query.ownerKeyId) && (query.subscriptionId === undefined || r.subscriptionId === query.subscriptionId))
      .filter((r) => query.status === undefined || r.status === query.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.alertId.localeCompare(b.alertId))
      .slice(0, Math.min(query.limit ?? 100, 1000))
      .map(recordOf);
  }

  private claimWhere(wanted: (row: Row) => boolean, order: (a: Row, b: Row) => number, limit: number, leaseMs: number): DeliveryRecord[] {
    const now = this.now().getTime();
    const rows = [...this.rows.values()].filter((r) => wanted(r) && r.leaseUntil <= now).sort(order).slice(0, limit);
    for (const row of rows) row.leaseUntil = now + leaseMs;
    return rows.map(recordOf);
  }

  private change(key: DeliveryKey, apply: (row: Row, at: string) => void): void {
    const row = this.rows.get(keyOf(key));
    if (!row) return;
    const at = this.now().toISOString();
    apply(row, at);
    row.updatedAt = at;
  }
}

function recordOf(row: Row): DeliveryRecord {
  const { leaseUntil: _lease, ...record } = row;
  return { ...record };
}
