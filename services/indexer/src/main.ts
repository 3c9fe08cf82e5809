import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { bootstrapService, exitOnStartupError } from '@monitor/pipeline';
import { IndexerServiceModule } from './indexer.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapService({ service: 'indexer', module: IndexerServiceModule.forConfig(config), config, port: Number(process.env.SERVICE_PORT ?? 3103) });
}

main().catch(exitOnStartupError);
