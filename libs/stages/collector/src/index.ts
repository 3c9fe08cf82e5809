export * from './collector-stage';
export * from './collector-stage.module';
export * from './source-operations';
export * from './remote-source-operations';
