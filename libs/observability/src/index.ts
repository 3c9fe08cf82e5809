export * from './monitor-metrics';
export * from './monitor-logger';
export * from './pipeline-activity';
export * from './topic-timeline';
export * from './ops-overview';
export * from './consumer-lag-watcher';
export * from './ops-stream';
