export * from './monitor-metrics';
export * from './monitor-logger';
export * from './pipeline-activity';
