export * from './sample-articles';
export * from './sse-client';
export * from './synthetic-subscriptions';
export * from './webhook-receiver';
