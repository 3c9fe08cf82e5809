export * from './store.contract';
export * from './store-fixtures';
export * from './story-store.contract';
