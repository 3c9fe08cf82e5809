import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite's WAL checkpoints for one database file on a thread of its own.
 *
 * In WAL mode the connection whose commit pushes the log past `wal_autocheckpoint` pages copies
 * the log into the database file and syncs it, inside that commit. On the monitor's one event
 * loop that stalled everything (alerts, webhooks, API answers) for tens to hundreds of
 * milliseconds every few seconds under load. A PASSIVE checkpoint from another connection
 * needs no writer lock, so writers go on meanwhile; the main connection keeps a much higher
 * automatic threshold only as a backstop, should this thread fall behind or stop.
 */
export class WalCheckpointer {
  /** The main connection's own threshold with a checkpointer running (pages of 4 KiB: some 40 MB). */
  static readonly BACKSTOP_PAGES = 10_000;

  private constructor(private readonly worker: Worker) {}

  static start(file: string, options: { intervalMs?: number; onError?: (message: string) => void } = {}): WalCheckpointer {
    // Plain JavaScript, evaluated: the thread needs only better-sqlite3, and must run whether or not
    // the process loads TypeScript through a require hook.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const Database = require(workerData.driver);
       const db = new Database(workerData.file, { fileMustExist: true });
       db.pragma('busy_timeout = 1000');
       setInterval(() => {
         try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
       }, workerData.intervalMs);`,
      { eval: true, workerData: { file, driver: require.resolve('better-sqlite3'), intervalMs: options.intervalMs ?? 1_000 } },
    );
    worker.on('message', (message: string) => options.onError?.(message));
    worker.on('error', (error) => options.onError?.(error.message));
    // It must never keep a process alive that is otherwise done.
    worker.unref();
    return new WalCheckpointer(worker);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
