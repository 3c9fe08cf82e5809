import { estypes } from '@elastic/elasticsearch';
import { Alert, ValidationError } from '@monitor/contracts';
import { AlertLedger, LedgerEntry, LedgerWrite, RecordResult, alertIdFor } from '@monitor/alerts';
import { StateDocuments, Versioned } from './elastic-requests';
import { StateIndices } from './state-indices';

interface LedgerDoc {
  subscriptionId: string;
  subjectId: string;
  ownerKeyId: string;
  alertId: string;
  createdAt: string;
  alert: Alert;
}

const OLDEST_FIRST: estypes.Sort = [{ _seq_no: 'asc' }];
const NEWEST_FIRST: estypes.Sort = [{ _seq_no: 'desc' }];

/**
 * The ledger in Elasticsearch. An alert's document id is its alert id, which follows from
 * (subscription, subject) (alertIdFor), and it is written create-only: of replicas recording the
 * same pair, exactly one is told "created" and the others get a conflict, which here means
 * "already recorded" and is answered with the stored entry.
 *
 * The seq is the document's _seq_no + 1. The index has one primary shard, whose sequence numbers
 * are handed out one at a time by the primary for every write from every replica: a total order
 * that only grows, numeric (the SSE event id) and sortable in searches (search_after on it alone
 * is stable, since no two documents share one, and ledger documents are never rewritten, so their
 * _seq_no never changes). Writes wait for the refresh, so the writer's own next search sees them.
 * What this cannot give, unlike the SQLite file's single writer lock: a search may see seq n + 1
 * from one replica before seq n from another becomes visible, so a reader resuming after n + 1
 * could miss n; readers that must not (SSE) stay visibilityLagMs behind what they see.
 */
export class ElasticAlertLedger implements AlertLedger {
  private readonly docs: StateDocuments;
  private readonly index: string;
  /**
   * A refresh interval, and a margin for the indexing of seq n still in progress when n + 1 was
   * refreshed (writes of one shard are indexed concurrently; their order in Lucene is not seq
   * order). tests/state-elastic.test.ts measures how far apart they show under concurrent writers.
   */
  readonly visibilityLagMs: number;

  constructor(indices: StateIndices) {
    this.docs = new StateDocuments(indices.client);
    this.index = indices.name('alert-ledger');
    this.visibilityLagMs = indices.refreshIntervalMs + 500;
  }

  async record(subscriptionId: string, subjectId: string, alert: Alert): Promise<RecordResult> {
    return (await this.recordMany([{ subscriptionId, subjectId, alert }]))[0];
  }

  async recordMany(writes: LedgerWrite[]): Promise<RecordResult[]> {
    if (writes.length === 0) return [];
    for (const w of writes) {
      if (w.alert.id !== alertIdFor(w.subscriptionId, w.subjectId)) throw new ValidationError(`alert ${w.alert.id}: its id must follow from its subscription and subject (alertIdFor)`, 'alert.id');
    }
    const created = await this.docs.createMany(this.index, writes.map((w) => ({ id: w.alert.id, source: toDoc(w) })), 'wait_for');
    // A pair written twice in one batch is created by its first write; the later ones, and pairs
    // recorded before (by any replica), are read back as stored.
    const existing = await this.docs.mget<LedgerDoc>(this.index, writes.flatMap((w, i) => (created[i] ? [] : [w.alert.id])));
    const stored = new Map(existing.flatMap((doc) => (doc ? [[doc.id, toEntry(doc)] as const] : [])));
    return writes.map((w, i): RecordResult => {
      const mine = created[i];
      if (mine) return { isNew: true, entry: { seq: mine.seqNo + 1, alert: w.alert } };
      const entry = stored.get(w.alert.id);
      if (!entry) throw new Error(`alert ${w.alert.id} was refused as existing but cannot be read`);
      return { isNew: false, entry };
    });
  }

  async afterSeq(ownerKeyId: string, afterSeq: number, limit = 500): Promise<LedgerEntry[]> {
    return this.entries({ ownerKeyId }, afterSeq, OLDEST_FIRST, limit);
  }

  async latestSeq(ownerKeyId: string): Promise<number> {
    return (await this.entries({ ownerKeyId }, 0, NEWEST_FIRST, 1))[0]?.seq ?? 0;
  }

  async forSubscription(subscriptionId: string, afterSeq = 0, limit = 1000): Promise<LedgerEntry[]> {
    return this.entries({ subscriptionId }, afterSeq, OLDEST_FIRST, limit);
  }

  async latestForSubscription(subscriptionId: string, limit: number): Promise<LedgerEntry[]> {
    return this.entries({ subscriptionId }, 0, NEWEST_FIRST, limit);
  }

  async getByAlertId(alertId: string): Promise<LedgerEntry | null> {
    const doc = await this.docs.get<LedgerDoc>(this.index, alertId);
    return doc ? toEntry(doc) : null;
  }

  async latest(limit: number): Promise<LedgerEntry[]> {
    return this.entries({}, 0, NEWEST_FIRST, limit);
  }

  /** Entries with seq > afterSeq that match the terms, in `sort` order, paged with search_after up to `limit`. */
  private async entries(terms: Partial<Record<'ownerKeyId' | 'subscriptionId', string>>, afterSeq: number, sort: estypes.Sort, limit: number): Promise<LedgerEntry[]> {
    const filter: estypes.QueryDslQueryContainer[] = Object.entries(terms).map(([field, value]) => ({ term: { [field]: value } }));
    if (afterSeq > 0) filter.push({ range: { _seq_no: { gte: afterSeq } } });
    const out: LedgerEntry[] = [];
    let after: estypes.SortResults | undefined;
    while (out.length < limit) {
      const size = Math.min(limit - out.length, 1000);
      const page = await this.docs.search<LedgerDoc>(this.index, { query: { bool: { filter } }, sort, size, ...(after ? { search_after: after } : {}) });
      out.push(...page.map(toEntry));
      if (page.length < size) break;
      after = page.at(-1)!.sort;
    }
    return out;
  }
}

function toDoc(w: LedgerWrite): LedgerDoc {
  return { subscriptionId: w.subscriptionId, subjectId: w.subjectId, ownerKeyId: w.alert.ownerKeyId, alertId: w.alert.id, createdAt: w.alert.createdAt, alert: w.alert };
}

function toEntry(doc: Versioned<LedgerDoc>): LedgerEntry {
  return { seq: doc.seqNo + 1, alert: doc.source.alert };
}
