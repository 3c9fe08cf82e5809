import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { bootstrapService, exitOnStartupError, servicePort } from '@monitor/runtime';
import { AlerterServiceModule } from './alerter.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapService({ service: 'alerter', module: AlerterServiceModule.forConfig(config), config, port: servicePort(config, 3104) });
}

main().catch(exitOnStartupError);
