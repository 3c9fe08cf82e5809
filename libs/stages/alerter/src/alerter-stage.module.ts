import { Module } from '@nestjs/common';
import { AlertRecording } from './alert-recording';
import { AlerterStage } from './alerter-stage';

@Module({ providers: [AlertRecording], controllers: [AlerterStage] })
export class AlerterStageModule {}
