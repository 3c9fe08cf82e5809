export * from './story-desk';
export * from './story-relay';
export * from './storyteller-stage';
export * from './stories-stage.module';
