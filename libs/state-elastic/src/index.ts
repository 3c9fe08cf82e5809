export * from './elastic-source-state.store';
