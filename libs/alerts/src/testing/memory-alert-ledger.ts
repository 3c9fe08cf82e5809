import { Alert } from '@monitor/contracts';
import { AlertLedger, LedgerEntry, LedgerWrite, RecordResult } from '../alert-ledger.port';

interface Shared {
  entries: LedgerEntry[];
  bySubject: Map<string, LedgerEntry>;
}

/** The ledger in memory, for tests of what uses the port. */
export class MemoryAlertLedger implements AlertLedger {
  constructor(private readonly shared: Shared = { entries: [], bySubject: new Map() }) {}

  /** Another instance over the same entries, as a replica sharing the store has. */
  sibling(): MemoryAlertLedger {
    return new MemoryAlertLedger(this.shared);
  }

  async record(subscriptionId: string, subjectId: string, alert: Alert): Promise<RecordResult> {
    return (await this.recordMany([{ subscriptionId, subjectId, alert }]))[0];
  }

  async recordMany(writes: LedgerWrite[]): Promise<RecordResult[]> {
    return writes.map((w): RecordResult => {
      const key = `${w.subscriptionId}\n${w.subjectId}`;
      const existing = this.shared.bySubject.get(key);
      if (existing) return { isNew: false, entry: structuredClone(existing) };
      const entry = { seq: (this.shared.entries.at(-1)?.seq ?? 0) + 1, alert: structuredClone(w.alert) };
      this.shared.bySubject.set(key, entry);
      this.shared.entries.push(entry);
      return { isNew: true, entry: structuredClone(entry) };
    });
  }

  async afterSeq(ownerKeyId: string, afterSeq: number, limit = 500): Promise<LedgerEntry[]> {
    return this.select((e) => e.alert.ownerKeyId === ownerKeyId && e.seq > afterSeq).slice(0, limit);
  }

  async latestSeq(ownerKeyId: string): Promise<number> {
    return this.select((e) => e.alert.ownerKeyId === ownerKeyId).at(-1)?.seq ?? 0;
  }

  async forSubscription(subscriptionId: string, afterSeq = 0, limit = 1000): Promise<LedgerEntry[]> {
    return this.select((e) => e.alert.subscriptionId === subscriptionId && e.seq > afterSeq).slice(0, limit);
  }

  async latestForSubscription(subscriptionId: string, limit: number): Promise<LedgerEntry[]> {
    return this.select((e) => e.alert.subscriptionId === subscriptionId).reverse().slice(0, limit);
  }

  async getByAlertId(alertId: string): Promise<LedgerEntry | null> {
    return this.select((e) => e.alert.id === alertId)[0] ?? null;
  }

  async latest(limit: number): Promise<LedgerEntry[]> {
    return this.select(() => true).reverse().slice(0, limit);
  }

  private select(keep: (entry: LedgerEntry) => boolean): LedgerEntry[] {
    return this.shared.entries.filter(keep).map((e) => structuredClone(e));
  }
}
