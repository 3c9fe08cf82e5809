import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { bootstrapService, exitOnStartupError, servicePort } from '@monitor/runtime';
import { ClassifierServiceModule } from './classifier.module';

async function main(): Promise<void> {
  const config = loadConfig();
  await bootstrapService({ service: 'classifier', module: ClassifierServiceModule.forConfig(config), config, port: servicePort(config, 3102) });
}

main().catch(exitOnStartupError);
