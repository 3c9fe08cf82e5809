import { DynamicModule, Provider } from '@nestjs/common';
import Database from 'better-sqlite3';
import { API_KEYS } from '@monitor/alerts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { ElasticApiKeys, StateIndices } from '@monitor/state-elastic';
import { SqliteApiKeys } from '@monitor/state-sqlite';
import { ApiKeyGuard } from './api-key.guard';
import { STATE_INDICES } from './elastic-state';
import { STATE_DB } from './state-database';

/** API keys (hashed secrets only: in the SQLite file, or in Elasticsearch in the stack) and the guard that checks them. */
export class AccessModule {
  static forConfig(config: MonitorConfig): DynamicModule {
    const keys: Provider =
      config.MONITOR_MODE === 'stack'
        ? {
            provide: API_KEYS,
            inject: [STATE_INDICES, MONITOR_CONFIG],
            useFactory: async (indices: StateIndices, monitorConfig: MonitorConfig) => {
              await indices.ensure(['api-keys']);
              return new ElasticApiKeys({ indices, adminKey: monitorConfig.ADMIN_API_KEY });
            },
          }
        : {
            provide: API_KEYS,
            inject: [STATE_DB, MONITOR_CONFIG],
            useFactory: (db: Database.Database, monitorConfig: MonitorConfig) => new SqliteApiKeys({ db, adminKey: monitorConfig.ADMIN_API_KEY }),
          };
    return { module: AccessModule, global: true, providers: [keys, ApiKeyGuard], exports: [API_KEYS, ApiKeyGuard] };
  }
}
