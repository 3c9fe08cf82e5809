// A child process for the replica test: opens the shared file and records the same alerts the
// sibling process records, then reports which ones it saw as new.
import Database from 'better-sqlite3';
import { alertIdFor } from '@monitor/alerts';
import { SqliteAlertLedger } from '../sqlite-alert-ledger';

async function main(file: string, count: number): Promise<number[]> {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const ledger = new SqliteAlertLedger(db);
  const fresh: number[] = [];
  for (let i = 0; i < count; i++) {
    const subscriptionId = `s${i % 10}`;
    const articleId = 'a' + i.toString(16).padStart(31, '0');
    const result = await ledger.record(subscriptionId, articleId, {
      schema: 'alerts.v1',
      id: alertIdFor(subscriptionId, articleId),
      kind: 'article',
      subscriptionId,
      ownerKeyId: 'k1',
      articleId,
      title: `t${i}`,
      topics: [],
      createdAt: new Date().toISOString(),
    });
    if (result.isNew) fresh.push(result.entry.seq);
  }
  db.close();
  return fresh;
}

const [file, countArg] = process.argv.slice(2);
void main(file, Number(countArg)).then((fresh) => process.stdout.write(JSON.stringify(fresh)));
