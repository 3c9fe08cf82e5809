import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { bootstrapService, exitOnStartupError, servicePort } from '@monitor/runtime';
import { IndexerServiceModule } from './indexer.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapService({ service: 'indexer', module: IndexerServiceModule.forConfig(config), config, port: servicePort(config, 3103) });
}

main().catch(exitOnStartupError);
