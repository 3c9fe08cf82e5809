import 'reflect-metadata';
import { loadConfig } from '@monitor/config';
import { exitOnStartupError } from '@monitor/runtime';
import { runMonitor } from './monitor-runner';

runMonitor(loadConfig()).catch(exitOnStartupError);
