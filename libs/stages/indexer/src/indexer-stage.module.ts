import { Module } from '@nestjs/common';
import { IndexerStage } from './indexer-stage';

@Module({ providers: [IndexerStage] })
export class IndexerStageModule {}
