export * from './indexer-stage';
export * from './indexer-stage.module';
