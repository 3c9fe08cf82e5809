export * from './sqlite.bus';
export * from './wal-checkpointer';
