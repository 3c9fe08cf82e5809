export * from './topics';
export * from './monitor-error';
export * from './article-id';
export * from './bus-topics';
export * from './events';
export * from './validation-error-from-zod';
export * from './source-changes';
export * from './text-patterns';
