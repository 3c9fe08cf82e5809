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

  record(subscriptionId: string, subjectId: string, alert: Alert): RecordResult {
    return this.recordMany([{ subscriptionId, subjectId, alert }])[0];
  }

  recordMany(writes: LedgerWrite[], within?: (fresh: LedgerEntry[]) => void): RecordResult[] {
    // Nothing is kept until `within` has returned: a throw leaves the ledger as it was.
    const pending = new Map<string, LedgerEntry>();
    let seq = this.shared.entries.at(-1)?.seq ?? 0;
    const results = writes.map((w): RecordResult => {
      const key = `${w.subscriptionId}\n${w.subjectId}`;
      const existing = this.shared.bySubject.get(key) ?? pending.get(key);
      if (existing) return { isNew: false, entry: structuredClone(existing) };
      const entry = { seq: ++seq, alert: structuredClone(w.alert) };
      pending.set(key, entry);
      return { isNew: true, entry };
    });
    const fresh = results.filter((r) => r.isNew).map((r) => r.entry);
    if (within && fresh.length) within(fresh);
    for (const [key, entry] of pending) {
      this.shared.bySubject.set(key, entry);
      this.shared.entries.push(entry);
    }
    return results;
  }

  afterSeq(ownerKeyId: string, afterSeq: number, limit = 500): LedgerEntry[] {
    return this.select((e) => e.alert.ownerKeyId === ownerKeyId && e.seq > afterSeq).slice(0, limit);
  }

  latestSeq(ownerKeyId: string): number {
    return this.select((e) => e.alert.ownerKeyId === ownerKeyId).at(-1)?.seq ?? 0;
  }

  forSubscription(subscriptionId: string, afterSeq = 0, limit = 1000): LedgerEntry[] {
    return this.select((e) => e.alert.subscriptionId === subscriptionId && e.seq > afterSeq).slice(0, limit);
  }

  latestForSubscription(subscriptionId: string, limit: number): LedgerEntry[] {
    return this.select((e) => e.alert.subscriptionId === subscriptionId).reverse().slice(0, limit);
  }

  getByAlertId(alertId: string): LedgerEntry | null {
    return this.select((e) => e.alert.id === alertId)[0] ?? null;
  }

  latest(limit: number): LedgerEntry[] {
    return this.select(() => true).reverse().slice(0, limit);
  }

  private select(keep: (entry: LedgerEntry) => boolean): LedgerEntry[] {
    return this.shared.entries.filter(keep).map((e) => structuredClone(e));
  }
}
