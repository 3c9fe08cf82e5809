import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Optional, Provider } from '@nestjs/common';
import { Client } from '@elastic/elasticsearch';
import Database from 'better-sqlite3';
import { MonitorConfig } from '@monitor/config';
import { KafkaBus } from '@monitor/messaging-kafka';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { SqliteBus, WalCheckpointer } from '@monitor/messaging-sqlite';
import { ARTICLE_STORE, ArticleStore, STORY_STORE } from '@monitor/search';
import { ElasticArticleStore, ElasticStoryStore } from '@monitor/search-elastic';
import { SqliteArticleStore, SqliteStoryStore } from '@monitor/search-sqlite';
import { StateIndices } from '@monitor/state-elastic';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { elasticClient } from './elastic-client';
import { ELASTIC_CLIENT, STATE_INDICES } from './elastic-state';
import { ensureMonitorTopics } from './monitor-topics';
import { STATE_DB, STATE_DB_CHECKPOINTER, checkpointInBackground, openStateDatabase } from './state-database';

class InfraLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Optional() @Inject(ARTICLE_STORE) private readonly store: ArticleStore | undefined,
    @Optional() @Inject(STATE_DB) private readonly db: Database.Database | undefined,
    @Optional() @Inject(STATE_DB_CHECKPOINTER) private readonly checkpointer: WalCheckpointer | undefined,
    @Optional() @Inject(ELASTIC_CLIENT) private readonly client: Client | undefined,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.store?.close();
    await this.checkpointer?.stop();
    if (this.db?.open) this.db.close();
    await this.client?.close();
  }
}

/**
 * Chooses the adapters behind the ports. Embedded: the durable SQLite bus, the SQLite FTS5 store
 * and every piece of state in one file. Stack: Kafka and Elasticsearch only, and no file on the
 * host at all, so any replica of any service runs on any host. Everything above this module is
 * the same code in both modes.
 */
@Global()
@Module({})
export class InfraModule {
  static forConfig(config: MonitorConfig, options: { store: boolean } = { store: true }): DynamicModule {
    const embedded = config.MONITOR_MODE === 'embedded';
    const providers = embedded ? embeddedProviders(config) : stackProviders(config, options);
    return {
      module: InfraModule,
      providers: [...providers, InfraLifecycle],
      exports: providers.map((provider) => (provider as { provide: symbol }).provide),
    };
  }
}

function embeddedProviders(config: MonitorConfig): Provider[] {
  return [
    { provide: STATE_DB, useFactory: () => openStateDatabase(config.dataDir, 'monitor.db') },
    {
      provide: STATE_DB_CHECKPOINTER,
      inject: [STATE_DB, MONITOR_LOGGER],
      useFactory: (db: Database.Database, logger: Logger) => checkpointInBackground(db, logger),
    },
    {
      provide: MESSAGE_BUS,
      inject: [STATE_DB],
      useFactory: async (db: Database.Database) => {
        const bus = new SqliteBus({ db, defaultPartitions: config.KAFKA_PARTITIONS });
        await ensureMonitorTopics(bus, config);
        return bus;
      },
    },
    {
      provide: ARTICLE_STORE,
      inject: [STATE_DB],
      useFactory: async (db: Database.Database) => {
        const store = new SqliteArticleStore({ db });
        await store.init();
        return store;
      },
    },
    {
      provide: STORY_STORE,
      inject: [STATE_DB],
      useFactory: async (db: Database.Database) => {
        const store = new SqliteStoryStore({ db });
        await store.init();
        return store;
      },
    },
  ];
}

function stackProviders(config: MonitorConfig, options: { store: boolean }): Provider[] {
  const providers: Provider[] = [
    {
      provide: MESSAGE_BUS,
      inject: [MONITOR_LOGGER],
      useFactory: async (logger: Logger) => {
        const bus = new KafkaBus({
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
    // One client per process, shared by the article store and every state adapter. Creating it
    // connects to nothing, so the classifier, which never uses it, is not held up by an outage.
    // Its own retries move a request to another node of a cluster when one is down.
    {
      provide: ELASTIC_CLIENT,
      useFactory: () => elasticClient(config.ELASTICSEARCH_URL),
    },
    {
      provide: STATE_INDICES,
      inject: [ELASTIC_CLIENT],
      useFactory: (client: Client) => new StateIndices({ client, prefix: `${config.ELASTICSEARCH_INDEX}-state`, replicas: config.ELASTICSEARCH_REPLICAS }),
    },
  ];
  // A service that does not search or index (collector, classifier, alerter) does not open the
  // article and story stores, so it does not wait for their indices to exist.
  if (options.store) {
    providers.push({
      provide: ARTICLE_STORE,
      inject: [ELASTIC_CLIENT],
      useFactory: async (client: Client) => {
        const store = new ElasticArticleStore({ client, alias: config.ELASTICSEARCH_INDEX, replicas: config.ELASTICSEARCH_REPLICAS });
        await store.init();
        return store;
      },
    });
    // Beside the articles, under their name: `<index>-stories` and `<index>-story-members`.
    providers.push({
      provide: STORY_STORE,
      inject: [ELASTIC_CLIENT],
      useFactory: async (client: Client) => {
        const store = new ElasticStoryStore({ client, prefix: config.ELASTICSEARCH_INDEX, replicas: config.ELASTICSEARCH_REPLICAS });
        await store.init();
        return store;
      },
    });
  }
  return providers;
}
