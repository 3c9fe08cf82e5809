export * from './monitor-config';
