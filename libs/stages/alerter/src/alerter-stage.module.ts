import { Module } from '@nestjs/common';
import { AlertDelivery } from './alert-delivery';
import { AlerterStage } from './alerter-stage';

@Module({ providers: [AlertDelivery], controllers: [AlerterStage] })
export class AlerterStageModule {}
