import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Alert } from '@monitor/contracts';
import { SqliteAlertLedger, alertIdFor } from './alert-ledger';

function alert(subscriptionId: string, articleId: string, ownerKeyId = 'k1', title = 'Heroin seized'): Alert {
  return {
    schema: 'alerts.v1', id: alertIdFor(subscriptionId, articleId), kind: 'article', subscriptionId, ownerKeyId, articleId, title,
    topics: [], createdAt: '2025-03-01T09:00:00.000Z',
  };
}
const A1 = 'a' + '1'.repeat(31);
const A2 = 'a' + '2'.repeat(31);

describe('SqliteAlertLedger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'alert-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records a pair once; a second write returns the first alert, not a new one', () => {
    const ledger = new SqliteAlertLedger(new Database(':memory:'));
    const first = ledger.record('s1', A1, alert('s1', A1));
    const again = ledger.record('s1', A1, alert('s1', A1, 'k1', 'Re-classified title'));
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ isNew: false, entry: first.entry });
    expect(ledger.record('s2', A1, alert('s2', A1)).isNew).toBe(true);
    expect(ledger.record('s1', A2, alert('s1', A2)).entry.seq).toBeGreaterThan(first.entry.seq);
  });

  it('survives a restart: the same pair recorded after reopening the file is not new', () => {
    const file = join(dir, 'state.db');
    let db = new Database(file);
    const seq = new SqliteAlertLedger(db).record('s1', A1, alert('s1', A1)).entry.seq;
    db.close();
    db = new Database(file);
    const ledger = new SqliteAlertLedger(db);
    expect(ledger.record('s1', A1, alert('s1', A1)).isNew).toBe(false);
    expect(ledger.afterSeq('k1', 0).map((e) => e.seq)).toEqual([seq]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('replays per owner after a sequence, and per subscription', () => {
    const ledger = new SqliteAlertLedger(new Database(':memory:'));
    const e1 = ledger.record('s1', A1, alert('s1', A1, 'k1')).entry;
    ledger.record('s9', A1, alert('s9', A1, 'k2'));
    const e3 = ledger.record('s1', A2, alert('s1', A2, 'k1')).entry;
    expect(ledger.afterSeq('k1', 0).map((e) => e.seq)).toEqual([e1.seq, e3.seq]);
    expect(ledger.afterSeq('k1', e1.seq).map((e) => e.alert.articleId)).toEqual([A2]);
    expect(ledger.latestSeq('k1')).toBe(e3.seq);
    expect(ledger.latestSeq('nobody')).toBe(0);
    expect(ledger.latestForSubscription('s1', 10).map((e) => e.seq)).toEqual([e3.seq, e1.seq]);
    expect(ledger.forSubscription('s1', e1.seq).map((e) => e.seq)).toEqual([e3.seq]);
    expect(ledger.getByAlertId(e3.alert.id)?.seq).toBe(e3.seq);
    expect(ledger.latest(2).map((e) => e.seq)).toEqual([e3.seq, e3.seq - 1]);
  });

  it('runs the outbox hook in the same transaction: when it throws, nothing is recorded', () => {
    const ledger = new SqliteAlertLedger(new Database(':memory:'));
    expect(() =>
      ledger.recordMany([{ subscriptionId: 's1', subjectId: A1, alert: alert('s1', A1) }], () => {
        throw new Error('outbox down');
      }),
    ).toThrow('outbox down');
    expect(ledger.record('s1', A1, alert('s1', A1)).isNew).toBe(true);
  });

  it('two processes recording the same alerts on one file raise each exactly once', async () => {
    const file = join(dir, 'shared.db');
    new SqliteAlertLedger(new Database(file)).afterSeq('k1', 0);
    const run = () =>
      promisify(execFile)(process.execPath, ['-r', '@swc-node/register', resolve(__dirname, 'testing/ledger-writer.process.ts'), file, '400'], {
        cwd: resolve(__dirname, '../../..'),
        env: { ...process.env, SWC_NODE_PROJECT: resolve(__dirname, '../../../tsconfig.base.json') },
      });
    const [a, b] = await Promise.all([run(), run()]);
    const freshA: number[] = JSON.parse(a.stdout);
    const freshB: number[] = JSON.parse(b.stdout);
    expect(freshA.length + freshB.length).toBe(400);
    expect(new Set([...freshA, ...freshB]).size).toBe(400);
    const db = new Database(file);
    const seqs = new SqliteAlertLedger(db).afterSeq('k1', 0, 1000).map((e) => e.seq);
    expect(seqs).toEqual([...freshA, ...freshB].sort((x, y) => x - y));
    db.close();
  }, 60_000);
});
