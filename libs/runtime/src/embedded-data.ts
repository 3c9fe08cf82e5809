import { MonitorConfig } from '@monitor/config';
import { MessageBus } from '@monitor/messaging';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { ArticleStore } from '@monitor/search';
import { SqliteArticleStore } from '@monitor/search-sqlite';
import { ensureMonitorTopics } from './monitor-topics';
import { openStateDatabase } from './state-database';

export interface EmbeddedData {
  store: ArticleStore;
  bus: MessageBus;
  close(): Promise<void>;
}

/**
 * An embedded monitor's data file opened outside the running monitor (command-line tools such as
 * `npm run reclassify`): the same adapters InfraModule chooses in embedded mode, without Nest.
 */
export async function openEmbeddedData(config: MonitorConfig): Promise<EmbeddedData> {
  const db = openStateDatabase(config.dataDir, 'monitor.db');
  const store = new SqliteArticleStore({ db });
  const bus = new SqliteBus({ db, defaultPartitions: config.KAFKA_PARTITIONS });
  const close = async (): Promise<void> => {
    await bus.close();
    await store.close();
    if (db.open) db.close();
  };
  try {
    await store.init();
    await ensureMonitorTopics(bus, config);
  } catch (error) {
    await close();
    throw error;
  }
  return { store, bus, close };
}
