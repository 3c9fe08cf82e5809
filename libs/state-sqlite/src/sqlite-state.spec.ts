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
    return {
      store: new SqliteSubscriptionStore(db),
      another: () => new SqliteSubscriptionStore(db),
      // The row an older release wrote: the spec JSON without per and storyUpdates.
      storeBeforeStories: async ({ id, ownerKeyId, createdAt, updatedAt, ...spec }) => {
        db.prepare('INSERT INTO subscriptions (id, owner_key_id, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, ownerKeyId, JSON.stringify(spec), createdAt, updatedAt);
      },
    };
  },
});
describeDeliveryLogContract('SqliteDeliveryLog', {
  create: (now) => {
    const db = new Database(':memory:');
    return { log: new SqliteDeliveryLog(db, now), another: () => new SqliteDeliveryLog(db, now) };
  },
});
describeSpikeBaselineContract('SqliteSpikeBaselines', { create: () => new SqliteSpikeBaselines(new Database(':memory:')) });
describeDigestPeriodContract('SqliteDigestPeriods', {
  create: () => {
    const db = new Database(':memory:');
    return { store: new SqliteDigestPeriods(db), another: () => new SqliteDigestPeriods(db) };
  },
});
