export * from './sqlite-subscription.store';
export * from './sqlite-alert-ledger';
export * from './sqlite-delivery-log';
export * from './sqlite-api-keys';
export * from './sqlite-spike-baselines';
export * from './sqlite-digest-periods';
export * from './sqlite-source-state.store';
export * from './sqlite-source-overrides';
