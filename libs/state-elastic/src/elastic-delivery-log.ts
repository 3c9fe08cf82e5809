import { estypes } from '@elastic/elasticsearch';
import { DeliveryKey, DeliveryLog, DeliveryQuery, DeliveryRecord, NewDelivery } from '@monitor/alerts';
import { StateDocuments, StateStoreError, Versioned } from './elastic-requests';
import { StateIndices } from './state-indices';

interface DeliveryDoc {
  alertId: string;
  channel: DeliveryRecord['channel'];
  kind: DeliveryRecord['kind'];
  subscriptionId: string;
  ownerKeyId: string;
  status: DeliveryRecord['status'];
  attempts: number;
  lastError: string | null;
  deadLetter: boolean;
  leaseUntil: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** A row's id follows from (alert or digest id, channel): every replica enqueues the same row under the same id. */
export function deliveryIdFor(key: DeliveryKey): string {
  return `${key.alertId}.${key.channel}`;
}

// Conditional writes that lose to another writer read again and re-apply, a few times.
const MAX_CONFLICTS = 5;

/**
 * The delivery log in Elasticsearch, one document per (alert, channel), created create-only.
 * Every change reads the row by id (realtime) and writes it back only if it is still that version
 * (if_seq_no / if_primary_term): a claim that loses is "held by another", and a change that loses
 * (an attempt counted, a status set) reads again and re-applies, so no change is lost.
 *
 * Searches (stale rows, dead letters, lists) see only refreshed rows. A stale view can show a row
 * as free when it is not: every row a search offers is read again by id and taken conditionally,
 * so it is then refused. The changes that make a row free or change what lists filter on (new
 * rows, release, terminal statuses) wait for the refresh, so a search never misses what they did.
 */
export class ElasticDeliveryLog implements DeliveryLog {
  private readonly docs: StateDocuments;
  private readonly index: string;

  constructor(
    indices: StateIndices,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.docs = new StateDocuments(indices.client);
    this.index = indices.name('deliveries');
  }

  async enqueue(deliveries: NewDelivery[]): Promise<NewDelivery[]> {
    if (deliveries.length === 0) return [];
    const at = this.now().toISOString();
    const created = await this.docs.createMany(
      this.index,
      deliveries.map((d) => ({
        id: deliveryIdFor(d),
        source: {
          alertId: d.alertId, channel: d.channel, kind: d.kind, subscriptionId: d.subscriptionId, ownerKeyId: d.ownerKeyId, status: 'pending',
          attempts: 0, lastError: null, deadLetter: false, leaseUntil: 0, createdAt: at, updatedAt: at, deliveredAt: null,
        } satisfies DeliveryDoc,
      })),
      'wait_for',
    );
    return deliveries.filter((_, i) => created[i] !== null);
  }

  async claim(key: DeliveryKey, leaseMs: number): Promise<boolean> {
    const now = this.now().getTime();
    const read = await this.docs.get<DeliveryDoc>(this.index, deliveryIdFor(key));
    if (!read || read.source.status !== 'pending' || read.source.leaseUntil > now) return false;
    return this.docs.replaceIf(this.index, read, { ...read.source, leaseUntil: now + leaseMs }, false);
  }

  async claimStale(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    return this.claimWhere([{ term: { status: 'pending' } }], (d) => d.status === 'pending', [{ createdAt: 'asc' }], limit, leaseMs);
  }

  async renew(keys: DeliveryKey[], leaseMs: number): Promise<void> {
    const now = this.now().getTime();
    for (const key of keys) {
      await this.change(key, false, (d) => ((d.status === 'pending' || d.deadLetter) && d.leaseUntil > now ? { ...d, leaseUntil: now + leaseMs } : null));
    }
  }

  async startAttempt(key: DeliveryKey, maxAttempts: number): Promise<number | null> {
    const counted = await this.change(key, false, (d) =>
      d.status === 'pending' && d.attempts < maxAttempts ? { ...d, attempts: d.attempts + 1, updatedAt: this.now().toISOString() } : null,
    );
    return counted?.attempts ?? null;
  }

  async recordError(key: DeliveryKey, error: string): Promise<void> {
    await this.change(key, false, (d) => (d.status === 'pending' ? { ...d, lastError: error, updatedAt: this.now().toISOString() } : null));
  }

  async release(key: DeliveryKey): Promise<void> {
    await this.change(key, 'wait_for', (d) => (d.status === 'pending' || d.deadLetter ? { ...d, leaseUntil: 0 } : null));
  }

  async markDelivered(key: DeliveryKey): Promise<void> {
    const at = this.now().toISOString();
    await this.change(key, 'wait_for', (d) => ({ ...d, status: 'delivered', deliveredAt: at, updatedAt: at, leaseUntil: 0 }));
  }

  async markFailed(key: DeliveryKey, reason: string, deadLetterLeaseMs?: number): Promise<boolean> {
    const now = this.now();
    const lease = deadLetterLeaseMs === undefined ? 0 : now.getTime() + deadLetterLeaseMs;
    const ended = await this.change(key, 'wait_for', (d) =>
      d.status === 'pending' ? { ...d, status: 'failed', lastError: reason, updatedAt: now.toISOString(), deadLetter: deadLetterLeaseMs !== undefined, leaseUntil: lease } : null,
    );
    return ended !== null;
  }

  async claimDeadLetters(limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    return this.claimWhere([{ term: { status: 'failed' } }, { term: { deadLetter: true } }], (d) => d.status === 'failed' && d.deadLetter, [{ updatedAt: 'asc' }], limit, leaseMs);
  }

  async markDeadLettered(key: DeliveryKey): Promise<void> {
    await this.change(key, false, (d) => ({ ...d, deadLetter: false, leaseUntil: 0 }));
  }

  async get(key: DeliveryKey): Promise<DeliveryRecord | null> {
    const read = await this.docs.get<DeliveryDoc>(this.index, deliveryIdFor(key));
    return read ? toRecord(read.source) : null;
  }

  async list(query: DeliveryQuery): Promise<DeliveryRecord[]> {
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (query.ownerKeyId !== undefined) filter.push({ term: { ownerKeyId: query.ownerKeyId } });
    if (query.subscriptionId !== undefined) filter.push({ term: { subscriptionId: query.subscriptionId } });
    if (query.status !== undefined) filter.push({ term: { status: query.status } });
    const hits = await this.docs.search<DeliveryDoc>(this.index, {
      query: { bool: { filter } },
      sort: [{ createdAt: 'desc' }, { alertId: 'asc' }, { channel: 'asc' }],
      size: Math.min(query.limit ?? 100, 1000),
    });
    return hits.map((h) => toRecord(h.source));
  }

  /** Rows a search offers as free, each read again by id and taken only if still free and unchanged. */
  private async claimWhere(
    filter: estypes.QueryDslQueryContainer[],
    wanted: (doc: DeliveryDoc) => boolean,
    sort: estypes.Sort,
    limit: number,
    leaseMs: number,
  ): Promise<DeliveryRecord[]> {
    const now = this.now().getTime();
    const offered = await this.docs.search<DeliveryDoc>(this.index, { query: { bool: { filter: [...filter, { range: { leaseUntil: { lte: now } } }] } }, sort, size: limit, _source: false });
    const current = await this.docs.mget<DeliveryDoc>(this.index, offered.map((h) => h.id));
    const taken: DeliveryRecord[] = [];
    for (const read of current) {
      if (!read || !wanted(read.source) || read.source.leaseUntil > now) continue;
      const held = { ...read.source, leaseUntil: now + leaseMs };
      if (await this.docs.replaceIf(this.index, read, held, false)) taken.push(toRecord(held));
    }
    return taken;
  }

  /**
   * Applies `next` to the row (null: no change), again on the newest version when another writer
   * came first; resolves with the row as written, or null when nothing was.
   */
  private async change(key: DeliveryKey, refresh: 'wait_for' | false, next: (doc: DeliveryDoc) => DeliveryDoc | null): Promise<DeliveryDoc | null> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const read: Versioned<DeliveryDoc> | null = await this.docs.get<DeliveryDoc>(this.index, deliveryIdFor(key));
      const changed = read && next(read.source);
      if (!read || !changed) return null;
      if (await this.docs.replaceIf(this.index, read, changed, refresh)) return changed;
    }
    throw new StateStoreError(`delivery ${deliveryIdFor(key)} kept changing under ${MAX_CONFLICTS} attempts to change it`, { retriable: true });
  }
}

function toRecord(d: DeliveryDoc): DeliveryRecord {
  return {
    alertId: d.alertId, channel: d.channel, kind: d.kind, subscriptionId: d.subscriptionId, ownerKeyId: d.ownerKeyId, status: d.status, attempts: d.attempts,
    lastError: d.lastError, deadLetterPending: d.deadLetter, createdAt: d.createdAt, updatedAt: d.updatedAt, deliveredAt: d.deliveredAt,
  };
}
