export * from './alert-sending';
export * from './delivery-stage';
export * from './delivery-stage.module';
