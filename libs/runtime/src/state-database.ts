import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WalCheckpointer } from '@monitor/messaging-sqlite';
import type { Logger } from '@monitor/observability';

export const STATE_DB = Symbol('STATE_DB');
export const STATE_DB_CHECKPOINTER = Symbol('STATE_DB_CHECKPOINTER');

/**
 * Opens the monitor's SQLite file. In embedded mode it holds everything (the bus log, the
 * articles and their full-text index, sources, subscriptions, the alert ledger); in stack mode
 * only the state that the alerter and api still share on one host (subscriptions, the alert
 * ledger; sources are on Kafka and Elasticsearch there, see SourcesModule). WAL and a busy timeout let several processes use one file safely.
 */
export function openStateDatabase(dataDir: string, fileName: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Moves the file's WAL checkpoints off the event loop (see WalCheckpointer); stop it before closing. */
export function checkpointInBackground(db: Database.Database, logger: Logger): WalCheckpointer {
  db.pragma(`wal_autocheckpoint = ${WalCheckpointer.BACKSTOP_PAGES}`);
  return WalCheckpointer.start(db.name, { onError: (message) => logger.warn({ file: db.name, error: message }, 'background WAL checkpoint failed') });
}
