import { Inject, Injectable } from '@nestjs/common';
import {
  ALERT_LEDGER,
  AlertLedger,
  AlerterPorts,
  DELIVERY_LOG,
  DIGEST_PERIODS,
  DeliveryLog,
  DigestPeriodStore,
  SPIKE_BASELINES,
  SUBSCRIPTION_STORE,
  SpikeBaselineStore,
  SubscriptionStore,
  WebhookUrlPolicy,
} from '@monitor/alerts';

/**
 * The alerts state (AlertsModule's adapters) gathered for createAlerter, so that each stage that
 * builds an alerter (the alerter stage records, the delivery stage sends) names its ports once.
 * A stage module lists it among its providers.
 */
@Injectable()
export class AlerterState {
  readonly ports: AlerterPorts;

  constructor(
    @Inject(SUBSCRIPTION_STORE) subscriptions: SubscriptionStore,
    @Inject(ALERT_LEDGER) ledger: AlertLedger,
    @Inject(DELIVERY_LOG) deliveries: DeliveryLog,
    @Inject(SPIKE_BASELINES) spikeBaselines: SpikeBaselineStore,
    @Inject(DIGEST_PERIODS) digestPeriods: DigestPeriodStore,
    @Inject(WebhookUrlPolicy) readonly webhookPolicy: WebhookUrlPolicy,
  ) {
    this.ports = { subscriptions, ledger, deliveries, spikeBaselines, digestPeriods };
  }
}
