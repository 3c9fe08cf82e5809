import { Alert } from '@monitor/contracts';
import { alertIdFor } from '../alert-id';
import { AlertLedger } from '../alert-ledger.port';

export interface AlertLedgerContext {
  /** An empty ledger. */
  create(): AlertLedger;
}

export function ledgerAlert(subscriptionId: string, articleId: string, ownerKeyId = 'k1', title = 'Heroin seized'): Alert {
  return {
    schema: 'alerts.v1', id: alertIdFor(subscriptionId, articleId), kind: 'article', subscriptionId, ownerKeyId, articleId, title,
    topics: [], createdAt: '2025-03-01T09:00:00.000Z',
  };
}

const A1 = 'a' + '1'.repeat(31);
const A2 = 'a' + '2'.repeat(31);

/** The behaviour every adapter of the alert ledger must show, written against the port only. */
export function describeAlertLedgerContract(name: string, context: AlertLedgerContext): void {
  describe(`AlertLedger contract: ${name}`, () => {
    it('records a pair once; a second write returns the first alert, not a new one', () => {
      const ledger = context.create();
      const first = ledger.record('s1', A1, ledgerAlert('s1', A1));
      const again = ledger.record('s1', A1, ledgerAlert('s1', A1, 'k1', 'Re-classified title'));
      expect(first.isNew).toBe(true);
      expect(again).toEqual({ isNew: false, entry: first.entry });
      expect(ledger.record('s2', A1, ledgerAlert('s2', A1)).isNew).toBe(true);
      expect(ledger.record('s1', A2, ledgerAlert('s1', A2)).entry.seq).toBeGreaterThan(first.entry.seq);
    });

    it('records a batch in order, each pair once, and hands only the new entries to the outbox hook', () => {
      const ledger = context.create();
      ledger.record('s1', A1, ledgerAlert('s1', A1));
      const seen: string[][] = [];
      const results = ledger.recordMany(
        [
          { subscriptionId: 's1', subjectId: A1, alert: ledgerAlert('s1', A1) },
          { subscriptionId: 's1', subjectId: A2, alert: ledgerAlert('s1', A2) },
          { subscriptionId: 's2', subjectId: A2, alert: ledgerAlert('s2', A2) },
        ],
        (fresh) => void seen.push(fresh.map((e) => e.alert.subscriptionId + '/' + e.alert.articleId)),
      );
      expect(results.map((r) => r.isNew)).toEqual([false, true, true]);
      expect(results[2].entry.seq).toBeGreaterThan(results[1].entry.seq);
      expect(seen).toEqual([[`s1/${A2}`, `s2/${A2}`]]);
    });

    it('replays per owner after a sequence, per subscription, by alert id and newest first', () => {
      const ledger = context.create();
      const e1 = ledger.record('s1', A1, ledgerAlert('s1', A1, 'k1')).entry;
      const e2 = ledger.record('s9', A1, ledgerAlert('s9', A1, 'k2')).entry;
      const e3 = ledger.record('s1', A2, ledgerAlert('s1', A2, 'k1')).entry;
      expect(ledger.afterSeq('k1', 0).map((e) => e.seq)).toEqual([e1.seq, e3.seq]);
      expect(ledger.afterSeq('k1', e1.seq).map((e) => e.alert.articleId)).toEqual([A2]);
      expect(ledger.afterSeq('k1', 0, 1).map((e) => e.seq)).toEqual([e1.seq]);
      expect(ledger.latestSeq('k1')).toBe(e3.seq);
      expect(ledger.latestSeq('nobody')).toBe(0);
      expect(ledger.latestForSubscription('s1', 10).map((e) => e.seq)).toEqual([e3.seq, e1.seq]);
      expect(ledger.forSubscription('s1', e1.seq).map((e) => e.seq)).toEqual([e3.seq]);
      expect(ledger.getByAlertId(e3.alert.id)).toEqual(e3);
      expect(ledger.getByAlertId('al-unknown')).toBeNull();
      expect(ledger.latest(2).map((e) => e.seq)).toEqual([e3.seq, e2.seq]);
    });

    it('runs the outbox hook in the same transaction: when it throws, nothing is recorded', () => {
      const ledger = context.create();
      expect(() =>
        ledger.recordMany([{ subscriptionId: 's1', subjectId: A1, alert: ledgerAlert('s1', A1) }], () => {
          throw new Error('outbox down');
        }),
      ).toThrow('outbox down');
      expect(ledger.latest(10)).toEqual([]);
      expect(ledger.record('s1', A1, ledgerAlert('s1', A1)).isNew).toBe(true);
    });
  });
}
