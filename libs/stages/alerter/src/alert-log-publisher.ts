import { AlertDeliverer, LedgerEntry } from '@monitor/alerts';
import { Alert, BUS_TOPICS } from '@monitor/contracts';
import { MessageBus, publishEvents } from '@monitor/messaging';

/**
 * Publishes every alert the ledger holds for a batch to alerts.v1, the log of alerts, keyed by
 * subscription: the new ones and, again, those recorded before. The ledger write comes first; a
 * crash between it and the publish leaves the batch uncommitted, and its redelivery finds the
 * alerts in the ledger and publishes them then. Delivery workers and receivers tell a repeat by
 * the alert id, which is its delivery id.
 */
export class AlertLogPublisher implements AlertDeliverer {
  constructor(
    private readonly bus: MessageBus,
    private readonly traceOf: (alert: Alert) => string | undefined,
  ) {}

  async outbox(entries: LedgerEntry[]): Promise<void> {
    const alerts = entries.map((entry) => entry.alert);
    const traces = new Map(alerts.flatMap((alert) => {
      const trace = this.traceOf(alert);
      return trace ? [[alert.id, trace] as const] : [];
    }));
    await publishEvents(this.bus, BUS_TOPICS.alerts, alerts, traces, { keyOf: (alert) => alert.subscriptionId });
  }

  deliver(): void {
    // Nothing to start: the delivery workers read what outbox() published.
  }
}
