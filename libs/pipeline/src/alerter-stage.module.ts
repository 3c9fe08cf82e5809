import { Module } from '@nestjs/common';
import { AlerterStage } from './alerter-stage';

@Module({ providers: [AlerterStage] })
export class AlerterStageModule {}
