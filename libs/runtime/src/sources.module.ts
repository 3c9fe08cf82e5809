import { DynamicModule, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Client } from '@elastic/elasticsearch';
import Database from 'better-sqlite3';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { BusSourceOverrides, SOURCE_OVERRIDES, SOURCE_STATE, SourceOverrideStore, SourceRegistry, SourceStateStore, loadSourcesFile } from '@monitor/feeds';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { Logger, MONITOR_LOGGER } from '@monitor/observability';
import { ElasticSourceStateStore } from '@monitor/state-elastic';
import { SqliteSourceOverrides, SqliteSourceStateStore } from '@monitor/state-sqlite';
import { ELASTIC_CLIENT } from './elastic-state';
import { STATE_DB } from './state-database';

class SourcesLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(SOURCE_OVERRIDES) private readonly overrides: SourceOverrideStore,
    @Inject(SOURCE_STATE) private readonly state: SourceStateStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.overrides instanceof BusSourceOverrides) await this.overrides.close();
    if (this.state instanceof ElasticSourceStateStore) await this.state.close();
  }
}

/**
 * The sources in force (the sources file with the API's changes laid over it) and the poller's
 * state (health, conditional-GET validators, seen items), for the processes that read or poll
 * sources: the collector, and the api (embedded, or the stack's api showing health).
 *
 * Embedded: both in the SQLite file. Stack: nothing on the host, so any replica can run anywhere:
 * the changes travel on the compacted topic sources.v1, read whole by every process before it
 * serves, and the state is in Elasticsearch, written by the collectors and read by the api.
 */
@Module({})
export class SourcesModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    const stack = config.MONITOR_MODE === 'stack';
    const overrides: Provider = stack
      ? {
          provide: SOURCE_OVERRIDES,
          inject: [MESSAGE_BUS, MONITOR_LOGGER],
          useFactory: (bus: MessageBus, logger: Logger) =>
            BusSourceOverrides.open({
              bus,
              onInvalid: (message, problem) => logger.warn({ topic: message.topic, key: message.key, offset: message.offset, problem }, 'a change to a source was skipped'),
            }),
        }
      : { provide: SOURCE_OVERRIDES, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSourceOverrides(db) };
    const state: Provider = stack
      ? {
          provide: SOURCE_STATE,
          inject: [ELASTIC_CLIENT],
          useFactory: async (client: Client) => {
            // Next to the articles' alias, so that one monitor's indices share its name.
            const store = new ElasticSourceStateStore({ client, indexPrefix: config.ELASTICSEARCH_INDEX, replicas: config.ELASTICSEARCH_REPLICAS });
            await store.init();
            return store;
          },
        }
      : { provide: SOURCE_STATE, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSourceStateStore(db) };
    return {
      module: SourcesModule,
      global: true,
      providers: [
        overrides,
        state,
        {
          provide: SourceRegistry,
          inject: [SOURCE_OVERRIDES, MONITOR_CONFIG],
          useFactory: (store: SourceOverrideStore, monitorConfig: MonitorConfig) => new SourceRegistry(store, loadSourcesFile(monitorConfig.SOURCES_FILE)),
        },
        SourcesLifecycle,
      ],
      exports: [SOURCE_OVERRIDES, SOURCE_STATE, SourceRegistry],
    };
  }
}
