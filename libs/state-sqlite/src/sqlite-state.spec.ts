import Database from 'better-sqlite3';
import {
  describeDeliveryLogContract,
  describeDigestPeriodContract,
  describeSpikeBaselineContract,
  describeSubscriptionStoreContract,
} from '@monitor/alerts/testing';
import { SqliteDeliveryLog } from './sqlite-delivery-log';
import { SqliteDigestPeriods } from './sqlite-digest-periods';
import { SqliteSpikeBaselines } from './sqlite-spike-baselines';
import { SqliteSubscriptionStore } from './sqlite-subscription.store';

describeSubscriptionStoreContract('SqliteSubscriptionStore', {
  create: () => {
    const db = new Database(':memory:');
    return { store: new SqliteSubscriptionStore(db), another: () => new SqliteSubscriptionStore(db) };
  },
});
describeDeliveryLogContract('SqliteDeliveryLog', { create: (now) => new SqliteDeliveryLog(new Database(':memory:'), now) });
describeSpikeBaselineContract('SqliteSpikeBaselines', { create: () => new SqliteSpikeBaselines(new Database(':memory:')) });
describeDigestPeriodContract('SqliteDigestPeriods', { create: () => new SqliteDigestPeriods(new Database(':memory:')) });
