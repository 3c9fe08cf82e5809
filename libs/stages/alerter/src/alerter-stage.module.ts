import { Module } from '@nestjs/common';
import { AlerterState } from '@monitor/runtime';
import { AlertRecording } from './alert-recording';
import { AlerterStage } from './alerter-stage';
import { StoryAlerterStage } from './story-alerter-stage';

@Module({ providers: [AlerterState, AlertRecording], controllers: [AlerterStage, StoryAlerterStage] })
export class AlerterStageModule {}
