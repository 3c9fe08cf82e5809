import { describeAlertLedgerContract } from './alert-ledger.contract';
import { describeDeliveryLogContract } from './delivery-log.contract';
import { describeDigestPeriodContract } from './digest-period.contract';
import { MemoryAlertLedger } from './memory-alert-ledger';
import { MemoryDeliveryLog } from './memory-delivery-log';
import { MemoryDigestPeriods } from './memory-digest-periods';
import { MemorySpikeBaselines } from './memory-spike-baselines';
import { MemorySubscriptionStore } from './memory-subscription.store';
import { describeSpikeBaselineContract } from './spike-baseline.contract';
import { describeSubscriptionStoreContract } from './subscription-store.contract';

// The doubles the alerts specs run on must behave as the real stores do.
describeSubscriptionStoreContract('MemorySubscriptionStore', {
  create: () => {
    const store = new MemorySubscriptionStore();
    return { store, another: () => store.sibling(), storeBeforeStories: async (subscription) => store.storeAsIs(subscription) };
  },
});
describeAlertLedgerContract('MemoryAlertLedger', {
  create: () => {
    const ledger = new MemoryAlertLedger();
    return { ledger, another: () => ledger.sibling() };
  },
});
describeDeliveryLogContract('MemoryDeliveryLog', {
  create: (now) => {
    const log = new MemoryDeliveryLog(now);
    return { log, another: () => log.sibling() };
  },
});
describeSpikeBaselineContract('MemorySpikeBaselines', { create: () => new MemorySpikeBaselines() });
describeDigestPeriodContract('MemoryDigestPeriods', {
  create: () => {
    const store = new MemoryDigestPeriods();
    return { store, another: () => store.sibling() };
  },
});
