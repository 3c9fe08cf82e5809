import { AlerterPorts } from '../alerter';
import { MemoryAlertLedger } from './memory-alert-ledger';
import { MemoryDeliveryLog } from './memory-delivery-log';
import { MemoryDigestPeriods } from './memory-digest-periods';
import { MemorySpikeBaselines } from './memory-spike-baselines';
import { MemorySubscriptionStore } from './memory-subscription.store';

/** Every port the alerter needs, in memory, on one clock. */
export function memoryAlerterPorts(now: () => Date = () => new Date()) {
  return {
    subscriptions: new MemorySubscriptionStore(now),
    ledger: new MemoryAlertLedger(),
    deliveries: new MemoryDeliveryLog(now),
    spikeBaselines: new MemorySpikeBaselines(),
    digestPeriods: new MemoryDigestPeriods(),
  } satisfies AlerterPorts;
}
