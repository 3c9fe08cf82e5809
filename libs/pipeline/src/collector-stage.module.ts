import { Module } from '@nestjs/common';
import { CollectorStage } from './collector-stage';

@Module({ providers: [CollectorStage], exports: [CollectorStage] })
export class CollectorStageModule {}
