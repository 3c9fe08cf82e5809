import { Module } from '@nestjs/common';
import { AlerterState } from '@monitor/runtime';
import { AlertSending } from './alert-sending';
import { DeliveryStage } from './delivery-stage';

/** Webhook and email delivery of alerts (from alerts.v1) and digests, in the alerter service and the embedded monitor alike. */
@Module({ providers: [AlerterState, AlertSending], controllers: [DeliveryStage] })
export class DeliveryStageModule {}
