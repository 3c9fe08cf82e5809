import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import Database from 'better-sqlite3';
import { MonitorConfig } from '@monitor/config';
import { KafkaBus } from '@monitor/messaging-kafka';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { SqliteBus, WalCheckpointer } from '@monitor/messaging-sqlite';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';
import { ElasticArticleStore } from '@monitor/search-elastic';
import { SqliteArticleStore } from '@monitor/search-sqlite';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { ensureMonitorTopics } from './monitor-topics';
import { STATE_DB, STATE_DB_CHECKPOINTER, checkpointInBackground, openStateDatabase } from './state-database';

class InfraLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Optional() @Inject(ARTICLE_STORE) private readonly store: ArticleStore | undefined,
    @Inject(STATE_DB) private readonly db: Database.Database,
    @Inject(STATE_DB_CHECKPOINTER) private readonly checkpointer: WalCheckpointer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.store?.close();
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}

/**
 * Chooses the adapters behind the ports. Embedded: the durable SQLite bus and the SQLite FTS5
 * store in one file. Stack: Kafka and Elasticsearch. Everything above this module is the same
 * code in both modes.
 */
@Global()
@Module({})
export class InfraModule {
  static forConfig(config: MonitorConfig, options: { store: boolean } = { store: true }): DynamicModule {
    const embedded = config.MONITOR_MODE === 'embedded';
    // A stack service that does not search or index (collector, classifier) does not open the
    // article store, so an Elasticsearch outage cannot stop it (the collector's source state is
    // there too, see SourcesModule, but a failed read of it only postpones a poll).
    const storeProviders = options.store || embedded ? [storeProvider(config, embedded)] : [];
    return {
      module: InfraModule,
      providers: [
        {
          provide: STATE_DB,
          useFactory: () => openStateDatabase(config.dataDir, embedded ? 'monitor.db' : 'state.db'),
        },
        {
          provide: STATE_DB_CHECKPOINTER,
          inject: [STATE_DB, MONITOR_LOGGER],
          useFactory: (db: Database.Database, logger: Logger) => checkpointInBackground(db, logger),
        },
        {
          provide: MESSAGE_BUS,
          inject: [STATE_DB, MONITOR_LOGGER],
          useFactory: async (db: Database.Database, logger: Logger) => {
            const bus: MessageBus = embedded
              ? new SqliteBus({ db, defaultPartitions: config.KAFKA_PARTITIONS })
              : new KafkaBus({
                  brokers: config.KAFKA_BROKERS.split(','),
                  clientId: config.KAFKA_CLIENT_ID,
                  topicPrefix: config.KAFKA_TOPIC_PREFIX,
                  // The broker wants heartbeats well within a session (a third at most).
                  consumer: { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: Math.min(3_000, Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 5)) },
                  logger: logger.child({ component: 'kafka' }),
                });
            await ensureMonitorTopics(bus, config);
            return bus;
          },
        },
        ...storeProviders,
        InfraLifecycle,
      ],
      exports: [STATE_DB, MESSAGE_BUS, ...(storeProviders.length ? [ARTICLE_STORE] : [])],
    };
  }
}

function storeProvider(config: MonitorConfig, embedded: boolean) {
  return {
    provide: ARTICLE_STORE,
    inject: [STATE_DB],
    useFactory: async (db: Database.Database) => {
      const store: ArticleStore = embedded
        ? new SqliteArticleStore({ db })
        : new ElasticArticleStore({ node: config.ELASTICSEARCH_URL, alias: config.ELASTICSEARCH_INDEX });
      await store.init();
      return store;
    },
  };
}
