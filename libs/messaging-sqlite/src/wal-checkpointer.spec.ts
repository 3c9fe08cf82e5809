import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalCheckpointer } from './wal-checkpointer';

describe('WalCheckpointer', () => {
  it('copies committed pages from the WAL into the database file while the writer never checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    const file = join(dir, 'state.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run('x'.repeat(2_000));
    })();
    // Everything is in the WAL; the database file itself holds next to nothing yet.
    expect(statSync(file).size).toBeLessThan(100_000);

    const checkpointer = WalCheckpointer.start(file, { intervalMs: 20 });
    try {
      const deadline = Date.now() + 5_000;
      while (statSync(file).size < 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(statSync(file).size).toBeGreaterThanOrEqual(1_000_000);
      expect((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(500);
    } finally {
      await checkpointer.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot open instead of failing silently', async () => {
    const errors: string[] = [];
    const checkpointer = WalCheckpointer.start(join(tmpdir(), `no-such-dir-${Date.now()}`, 'x.db'), { onError: (message) => errors.push(message) });
    const deadline = Date.now() + 5_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await checkpointer.stop();
    expect(errors.join('\n')).toMatch(/unable to open|does not exist|directory/i);
  });
});
