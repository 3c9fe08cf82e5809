import { Global, Module } from '@nestjs/common';
import Database from 'better-sqlite3';
import { API_KEYS } from '@monitor/alerts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { SqliteApiKeys } from '@monitor/state-sqlite';
import { ApiKeyGuard } from './api-key.guard';
import { STATE_DB } from './state-database';

/** API keys (hashed, in the shared state file) and the guard that checks them. */
@Global()
@Module({
  providers: [
    {
      provide: API_KEYS,
      inject: [STATE_DB, MONITOR_CONFIG],
      useFactory: (db: Database.Database, config: MonitorConfig) => new SqliteApiKeys({ db, adminKey: config.ADMIN_API_KEY }),
    },
    ApiKeyGuard,
  ],
  exports: [API_KEYS, ApiKeyGuard],
})
export class AccessModule {}
