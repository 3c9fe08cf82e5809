export * from './bus.port';
export * from './event-stream';
export * from './sqlite.bus';
export * from './key-partitioner';
export * from './kafka.bus';
export * from './kafka-log';
export * from './wal-checkpointer';
