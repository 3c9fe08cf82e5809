import { Alert } from '@monitor/contracts';
import { alertIdFor } from '../alert-id';
import { AlertLedger } from '../alert-ledger.port';

export interface AlertLedgerContext {
  /** An empty ledger, and a way to open a second instance on the same data (another replica). */
  create(): Promise<{ ledger: AlertLedger; another(): AlertLedger }> | { ledger: AlertLedger; another(): AlertLedger };
}

export function ledgerAlert(subscriptionId: string, articleId: string, ownerKeyId = 'k1', title = 'Heroin seized'): Alert {
  return {
    schema: 'alerts.v1', id: alertIdFor(subscriptionId, articleId), kind: 'article', subscriptionId, ownerKeyId, articleId, title,
    topics: [], createdAt: '2025-03-01T09:00:00.000Z',
  };
}

const A1 = 'a' + '1'.repeat(31);
const A2 = 'a' + '2'.repeat(31);
const articleId = (i: number) => 'a' + i.toString(16).padStart(31, '0');

/** The behaviour every adapter of the alert ledger must show, written against the port only. */
export function describeAlertLedgerContract(name: string, context: AlertLedgerContext): void {
  describe(`AlertLedger contract: ${name}`, () => {
    it('records a pair once; a second write returns the first alert, not a new one', async () => {
      const { ledger } = await context.create();
      const first = await ledger.record('s1', A1, ledgerAlert('s1', A1));
      const again = await ledger.record('s1', A1, ledgerAlert('s1', A1, 'k1', 'Re-classified title'));
      expect(first.isNew).toBe(true);
      expect(again).toEqual({ isNew: false, entry: first.entry });
      expect((await ledger.record('s2', A1, ledgerAlert('s2', A1))).isNew).toBe(true);
      expect((await ledger.record('s1', A2, ledgerAlert('s1', A2))).entry.seq).toBeGreaterThan(first.entry.seq);
    });

    it('records a batch in order, each pair once, a pair repeated within the batch too', async () => {
      const { ledger } = await context.create();
      await ledger.record('s1', A1, ledgerAlert('s1', A1));
      const results = await ledger.recordMany([
        { subscriptionId: 's1', subjectId: A1, alert: ledgerAlert('s1', A1) },
        { subscriptionId: 's1', subjectId: A2, alert: ledgerAlert('s1', A2) },
        { subscriptionId: 's2', subjectId: A2, alert: ledgerAlert('s2', A2) },
        { subscriptionId: 's1', subjectId: A2, alert: ledgerAlert('s1', A2, 'k1', 'again') },
      ]);
      expect(results.map((r) => r.isNew)).toEqual([false, true, true, false]);
      expect(results[2].entry.seq).toBeGreaterThan(results[1].entry.seq);
      expect(results[3].entry).toEqual(results[1].entry);
      expect(await ledger.recordMany([])).toEqual([]);
    });

    it('replays per owner after a sequence, per subscription, by alert id and newest first', async () => {
      const { ledger } = await context.create();
      const e1 = (await ledger.record('s1', A1, ledgerAlert('s1', A1, 'k1'))).entry;
      const e2 = (await ledger.record('s9', A1, ledgerAlert('s9', A1, 'k2'))).entry;
      const e3 = (await ledger.record('s1', A2, ledgerAlert('s1', A2, 'k1'))).entry;
      expect((await ledger.afterSeq('k1', 0)).map((e) => e.seq)).toEqual([e1.seq, e3.seq]);
      expect((await ledger.afterSeq('k1', e1.seq)).map((e) => e.alert.articleId)).toEqual([A2]);
      expect((await ledger.afterSeq('k1', 0, 1)).map((e) => e.seq)).toEqual([e1.seq]);
      expect(await ledger.latestSeq('k1')).toBe(e3.seq);
      expect(await ledger.latestSeq('nobody')).toBe(0);
      expect((await ledger.latestForSubscription('s1', 10)).map((e) => e.seq)).toEqual([e3.seq, e1.seq]);
      expect((await ledger.forSubscription('s1', e1.seq)).map((e) => e.seq)).toEqual([e3.seq]);
      expect(await ledger.getByAlertId(e3.alert.id)).toEqual(e3);
      expect(await ledger.getByAlertId('al-unknown')).toBeNull();
      expect((await ledger.latest(2)).map((e) => e.seq)).toEqual([e3.seq, e2.seq]);
    });

    it('pages through more entries than one read returns, in seq order without gaps or repeats', async () => {
      const { ledger } = await context.create();
      const writes = Array.from({ length: 25 }, (_, i) => ({ subscriptionId: 's1', subjectId: articleId(i), alert: ledgerAlert('s1', articleId(i)) }));
      const recorded = (await ledger.recordMany(writes)).map((r) => r.entry.seq);
      const paged: number[] = [];
      for (let after = 0, page = await ledger.afterSeq('k1', 0, 10); page.length; page = await ledger.afterSeq('k1', after, 10)) {
        paged.push(...page.map((e) => e.seq));
        after = page.at(-1)!.seq;
      }
      expect(paged).toEqual(recorded);
      expect(new Set(paged).size).toBe(25);
      expect((await ledger.forSubscription('s1', recorded[19], 3)).map((e) => e.seq)).toEqual(recorded.slice(20, 23));
    });

    it('two replicas recording the same alerts at once: each pair is new to exactly one of them, under one seq', async () => {
      const { ledger, another } = await context.create();
      const other = another();
      const writes = Array.from({ length: 20 }, (_, i) => ({ subscriptionId: `s${i % 3}`, subjectId: articleId(i), alert: ledgerAlert(`s${i % 3}`, articleId(i)) }));
      const [mine, theirs] = await Promise.all([ledger.recordMany(writes), other.recordMany([...writes].reverse())]);
      theirs.reverse();
      for (let i = 0; i < writes.length; i++) {
        expect([mine[i].isNew, theirs[i].isNew].filter(Boolean)).toHaveLength(1);
        expect(mine[i].entry).toEqual(theirs[i].entry);
      }
      const stored = await other.afterSeq('k1', 0, 100);
      expect(stored.map((e) => e.seq).sort((a, b) => a - b)).toEqual(mine.map((r) => r.entry.seq).sort((a, b) => a - b));
      expect(new Set(stored.map((e) => e.seq)).size).toBe(20);
    });
  });
}
