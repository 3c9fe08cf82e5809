export * from './memory-source-state';
export * from './memory-source-overrides';
export * from './source-state.contract';
export * from './source-override.contract';
