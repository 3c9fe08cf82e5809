import { Global, Module } from '@nestjs/common';
import Database from 'better-sqlite3';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { SOURCE_OVERRIDES, SOURCE_STATE, SourceOverrideStore, SourceRegistry, loadSourcesFile } from '@monitor/feeds';
import { SqliteSourceOverrides, SqliteSourceStateStore } from '@monitor/state-sqlite';
import { STATE_DB } from './state-database';

/**
 * The sources in force (the sources file with the API's changes laid over it) and the poller's
 * state (health, conditional-GET validators, seen items), for the processes that read or poll
 * sources: the collector, and the api (embedded, or the stack's api showing health).
 */
@Global()
@Module({
  providers: [
    { provide: SOURCE_OVERRIDES, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSourceOverrides(db) },
    { provide: SOURCE_STATE, inject: [STATE_DB], useFactory: (db: Database.Database) => new SqliteSourceStateStore(db) },
    {
      provide: SourceRegistry,
      inject: [SOURCE_OVERRIDES, MONITOR_CONFIG],
      useFactory: (overrides: SourceOverrideStore, config: MonitorConfig) => new SourceRegistry(overrides, loadSourcesFile(config.SOURCES_FILE)),
    },
  ],
  exports: [SOURCE_OVERRIDES, SOURCE_STATE, SourceRegistry],
})
export class SourcesModule {}
