import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import Database from 'better-sqlite3';
import { ALERT_LEDGER, AlertLedger, AlertStreamHub, DELIVERY_LOG, DIGEST_PERIODS, SPIKE_BASELINES, SUBSCRIPTION_STORE, WebhookUrlPolicy } from '@monitor/alerts';
import { MONITOR_CONFIG, MonitorConfig, parseHostAllowList } from '@monitor/config';
import {
  ElasticAlertLedger,
  ElasticDeliveryLog,
  ElasticDigestPeriods,
  ElasticSpikeBaselines,
  ElasticSubscriptionStore,
  StateIndices,
} from '@monitor/state-elastic';
import {
  SqliteAlertLedger,
  SqliteDeliveryLog,
  SqliteDigestPeriods,
  SqliteSpikeBaselines,
  SqliteSubscriptionStore,
} from '@monitor/state-sqlite';
import { STATE_INDICES } from './elastic-state';
import { STATE_DB } from './state-database';

class AlertStreamLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AlertStreamHub) private readonly hub: AlertStreamHub) {}

  onApplicationShutdown(): void {
    this.hub.close();
  }
}

/** Stack mode: the indices are created once, before any adapter writes. */
const READY_STATE_INDICES = Symbol('READY_STATE_INDICES');

/**
 * Subscriptions, the alert ledger (one entry per subscription and article: the exactly-once
 * record), the delivery log (every webhook and email delivery with its attempts), the topic volume
 * behind spike alerts, the digests made so far, the webhook URL policy and the SSE hub that
 * streams from the ledger. Shared by the api and the alerter. Embedded: in the SQLite file.
 * Stack: in Elasticsearch, where every replica of every service reads and writes the same state
 * with create-only writes and versioned updates (libs/state-elastic).
 */
@Module({})
export class AlertsModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    const state: Provider[] =
      config.MONITOR_MODE === 'stack'
        ? [
            {
              provide: READY_STATE_INDICES,
              inject: [STATE_INDICES],
              useFactory: async (indices: StateIndices) => {
                await indices.ensure(['subscriptions', 'alert-ledger', 'deliveries', 'topic-volume', 'digests', 'meta']);
                return indices;
              },
            },
            { provide: SUBSCRIPTION_STORE, inject: [READY_STATE_INDICES], useFactory: (indices: StateIndices) => new ElasticSubscriptionStore(indices) },
            { provide: ALERT_LEDGER, inject: [READY_STATE_INDICES], useFactory: (indices: StateIndices) => new ElasticAlertLedger(indices) },
            { provide: DELIVERY_LOG, inject: [READY_STATE_INDICES], useFactory: (indices: StateIndices) => new ElasticDeliveryLog(indices) },
            { provide: SPIKE_BASELINES, inject: [READY_STATE_INDICES], useFactory: (indices: StateIndices) => new ElasticSpikeBaselines(indices) },
            { provide: DIGEST_PERIODS, inject: [READY_STATE_INDICES], useFactory: (indices: StateIndices) => new ElasticDigestPeriods(indices) },
          ]
        : [
            { provide: SUBSCRIPTION_STORE, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSubscriptionStore(db) },
            { provide: ALERT_LEDGER, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteAlertLedger(db) },
            { provide: DELIVERY_LOG, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteDeliveryLog(db) },
            { provide: SPIKE_BASELINES, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSpikeBaselines(db) },
            { provide: DIGEST_PERIODS, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteDigestPeriods(db) },
          ];
    return {
      module: AlertsModule,
      global: true,
      providers: [
        ...state,
        {
          provide: WebhookUrlPolicy,
          inject: [MONITOR_CONFIG],
          useFactory: (monitorConfig: MonitorConfig) => new WebhookUrlPolicy(parseHostAllowList(monitorConfig.ALLOW_PRIVATE_WEBHOOK_HOSTS)),
        },
        { provide: AlertStreamHub, inject: [ALERT_LEDGER], useFactory: (ledger: AlertLedger) => new AlertStreamHub({ ledger }) },
        AlertStreamLifecycle,
      ],
      exports: [SUBSCRIPTION_STORE, ALERT_LEDGER, DELIVERY_LOG, SPIKE_BASELINES, DIGEST_PERIODS, WebhookUrlPolicy, AlertStreamHub],
    };
  }
}
