export * from './alert-log-publisher';
export * from './alert-recording';
export * from './alerter-stage';
export * from './alerter-stage.module';
export * from './story-alerter-stage';
