import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import {
  ALERT_LEDGER,
  AlertLedger,
  AlertStreamHub,
  SUBSCRIPTION_STORE,
  SqliteAlertLedger,
  SqliteSubscriptionStore,
} from '@monitor/alerts';
import { STATE_DB } from './state-database';

class AlertStreamLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AlertStreamHub) private readonly hub: AlertStreamHub) {}

  onApplicationShutdown(): void {
    this.hub.close();
  }
}

/**
 * Subscriptions, the alert ledger (one row per subscription and article: the exactly-once
 * record) and the SSE hub that streams from it. Shared by the api and the alerter; in stack mode
 * they share the state file.
 */
@Global()
@Module({
  providers: [
    { provide: SUBSCRIPTION_STORE, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSubscriptionStore(db) },
    { provide: ALERT_LEDGER, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteAlertLedger(db) },
    { provide: AlertStreamHub, inject: [ALERT_LEDGER], useFactory: (ledger: AlertLedger) => new AlertStreamHub({ ledger }) },
    AlertStreamLifecycle,
  ],
  exports: [SUBSCRIPTION_STORE, ALERT_LEDGER, AlertStreamHub],
})
export class AlertsModule {}
