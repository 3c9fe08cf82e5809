export * from './query-ast';
export * from './query-parser';
export * from './query-evaluator';
export * from './query-index-keys';
export * from './elastic-query-compiler';
export * from './fts5-query-compiler';
