export * from './alert-delivery';
export * from './alerter-stage';
export * from './alerter-stage.module';
