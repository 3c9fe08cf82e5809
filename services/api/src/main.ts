import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { exitOnStartupError } from '@monitor/pipeline';
import { runMonitor } from './monitor-runner';

runMonitor(loadConfig()).catch(exitOnStartupError);
