import { Module } from '@nestjs/common';
import { CollectorStage } from './collector-stage';
import { SOURCE_OPERATIONS } from './source-operations';

@Module({
  providers: [CollectorStage, { provide: SOURCE_OPERATIONS, useExisting: CollectorStage }],
  exports: [CollectorStage, SOURCE_OPERATIONS],
})
export class CollectorStageModule {}
