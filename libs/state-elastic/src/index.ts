export * from './state-indices';
export * from './elastic-requests';
export * from './elastic-subscription.store';
export * from './elastic-alert-ledger';
export * from './elastic-delivery-log';
export * from './elastic-api-keys';
export * from './elastic-spike-baselines';
export * from './elastic-digest-periods';
