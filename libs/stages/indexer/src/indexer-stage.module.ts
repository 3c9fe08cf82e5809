import { Module } from '@nestjs/common';
import { IndexerStage } from './indexer-stage';

@Module({ controllers: [IndexerStage] })
export class IndexerStageModule {}
