export * from './store.contract';
export * from './store-fixtures';
