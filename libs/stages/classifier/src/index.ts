export * from './classifier-stage';
export * from './classifier-stage.module';
export * from './reclassification';
