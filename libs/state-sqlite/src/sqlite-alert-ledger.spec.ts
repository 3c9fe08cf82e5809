import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describeAlertLedgerContract, ledgerAlert as alert } from '@monitor/alerts/testing';
import { SqliteAlertLedger } from './sqlite-alert-ledger';

const A1 = 'a' + '1'.repeat(31);

describeAlertLedgerContract('SqliteAlertLedger', {
  create: () => {
    const db = new Database(':memory:');
    return { ledger: new SqliteAlertLedger(db), another: () => new SqliteAlertLedger(db) };
  },
});

describe('SqliteAlertLedger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'alert-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a restart: the same pair recorded after reopening the file is not new', async () => {
    const file = join(dir, 'state.db');
    let db = new Database(file);
    const seq = (await new SqliteAlertLedger(db).record('s1', A1, alert('s1', A1))).entry.seq;
    db.close();
    db = new Database(file);
    const ledger = new SqliteAlertLedger(db);
    expect((await ledger.record('s1', A1, alert('s1', A1))).isNew).toBe(false);
    expect((await ledger.afterSeq('k1', 0)).map((e) => e.seq)).toEqual([seq]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('two processes recording the same alerts on one file raise each exactly once', async () => {
    const file = join(dir, 'shared.db');
    await new SqliteAlertLedger(new Database(file)).afterSeq('k1', 0);
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
    const seqs = (await new SqliteAlertLedger(db).afterSeq('k1', 0, 1000)).map((e) => e.seq);
    expect(seqs).toEqual([...freshA, ...freshB].sort((x, y) => x - y));
    db.close();
  }, 60_000);
});
