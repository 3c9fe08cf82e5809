import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { bootstrapService, exitOnStartupError, servicePort } from '@monitor/runtime';
import { CollectorServiceModule } from './collector.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapService({ service: 'collector', module: CollectorServiceModule.forConfig(config), config, port: servicePort(config, 3101) });
}

main().catch(exitOnStartupError);
