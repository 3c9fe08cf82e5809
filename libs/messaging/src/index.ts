export * from './bus.port';
export * from './event-stream';
export * from './key-partitioner';
export * from './dead-letter-message';
