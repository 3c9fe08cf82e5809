import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { ALERT_LEDGER, AlertLedger, AlertStreamHub, DELIVERY_LOG, DIGEST_PERIODS, SPIKE_BASELINES, SUBSCRIPTION_STORE, WebhookUrlPolicy } from '@monitor/alerts';
import { MONITOR_CONFIG, MonitorConfig, parseHostAllowList } from '@monitor/config';
import {
  SqliteAlertLedger,
  SqliteDeliveryLog,
  SqliteDigestPeriods,
  SqliteSpikeBaselines,
  SqliteSubscriptionStore,
} from '@monitor/state-sqlite';
import { STATE_DB } from './state-database';

class AlertStreamLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AlertStreamHub) private readonly hub: AlertStreamHub) {}

  onApplicationShutdown(): void {
    this.hub.close();
  }
}

/**
 * Subscriptions, the alert ledger (one row per subscription and article: the exactly-once
 * record), the delivery log (every webhook and email delivery with its attempts), the topic volume
 * behind spike alerts, the digests made so far, the webhook URL policy and the SSE hub that streams from the ledger. Shared by the api and the alerter; in stack
 * mode they share the state file, so the api shows what the alerter delivered.
 */
@Global()
@Module({
  providers: [
    { provide: SUBSCRIPTION_STORE, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSubscriptionStore(db) },
    { provide: ALERT_LEDGER, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteAlertLedger(db) },
    { provide: DELIVERY_LOG, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteDeliveryLog(db) },
    { provide: SPIKE_BASELINES, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSpikeBaselines(db) },
    { provide: DIGEST_PERIODS, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteDigestPeriods(db) },
    {
      provide: WebhookUrlPolicy,
      inject: [MONITOR_CONFIG],
      useFactory: (config: MonitorConfig) => new WebhookUrlPolicy(parseHostAllowList(config.ALLOW_PRIVATE_WEBHOOK_HOSTS)),
    },
    { provide: AlertStreamHub, inject: [ALERT_LEDGER], useFactory: (ledger: AlertLedger) => new AlertStreamHub({ ledger }) },
    AlertStreamLifecycle,
  ],
  exports: [SUBSCRIPTION_STORE, ALERT_LEDGER, DELIVERY_LOG, SPIKE_BASELINES, DIGEST_PERIODS, WebhookUrlPolicy, AlertStreamHub],
})
export class AlertsModule {}
