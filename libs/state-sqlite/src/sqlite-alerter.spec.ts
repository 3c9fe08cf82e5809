import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookUrlPolicy, createAlerter } from '@monitor/alerts';
import { sampleArticle } from '@monitor/alerts/testing';
import { SqliteAlertLedger } from './sqlite-alert-ledger';
import { SqliteDeliveryLog } from './sqlite-delivery-log';
import { SqliteDigestPeriods } from './sqlite-digest-periods';
import { SqliteSpikeBaselines } from './sqlite-spike-baselines';
import { SqliteSubscriptionStore } from './sqlite-subscription.store';

// The monitor's wiring (createAlerter) over the SQLite adapters, two replicas on one file.
describe('the alerter on the shared SQLite file', () => {
  let dir: string;
  const opened: Database.Database[] = [];
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sqlite-alerter-'))));
  afterEach(() => {
    opened.splice(0).forEach((db) => db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  function replica(now: () => Date) {
    const db = new Database(join(dir, 'monitor.db'));
    db.pragma('busy_timeout = 5000');
    opened.push(db);
    const deliveries = new SqliteDeliveryLog(db, now);
    const subscriptions = new SqliteSubscriptionStore(db, now);
    const alerter = createAlerter({
      subscriptions,
      ledger: new SqliteAlertLedger(db),
      deliveries,
      spikeBaselines: new SqliteSpikeBaselines(db),
      digestPeriods: new SqliteDigestPeriods(db),
      // Nothing listens on port 9: deliveries fail fast and stay visible in the log.
      webhook: { policy: new WebhookUrlPolicy(['127.0.0.1']), timeoutMs: 500 },
      delivery: { maxAttempts: 1 },
      spikes: { minHistoryDays: 0 },
      now,
    });
    return { alerter, subscriptions, deliveries };
  }

  it('records each alert once across replicas, and makes one digest per period for both', async () => {
    let now = new Date('2025-03-15T10:20:00Z');
    const clock = () => now;
    const r1 = replica(clock);
    const r2 = replica(clock);
    const hourly = await r1.subscriptions.create('k1', { per: 'article', delivery: { mode: 'hourly' }, channels: { webhook: { url: 'http://127.0.0.1:9/hook' } } });
    const spikes = await r1.subscriptions.create('k2', { topics: ['precursors'], spikeAlerts: true, minScore: 100 });
    const articles = Array.from({ length: 6 }, (_, i) => sampleArticle({ title: `Shipment ${i}`, publishedAt: '2025-03-15T08:00:00Z', topics: [['precursors', 2]] }));

    const [a1, a2] = await Promise.all([r1.alerter.handleClassified(articles), r2.alerter.handleClassified(articles)]);
    expect(a1.length + a2.length).toBe(6);
    const spikeAlerts = (await Promise.all([r1.alerter.checkSpikes(), r2.alerter.checkSpikes()])).flat();
    expect(spikeAlerts).toEqual([expect.objectContaining({ kind: 'spike', subscriptionId: spikes.id })]);

    now = new Date('2025-03-15T11:05:00Z');
    const rounds = await Promise.all([r1.alerter.runDueDigests(), r2.alerter.runDueDigests()]);
    expect(rounds.flat()).toEqual([expect.objectContaining({ kind: 'digest', subscriptionId: hourly.id, status: 'failed' })]);
    const [digest] = rounds.flat();
    expect(await r2.alerter.digests.messageFor(digest.alertId)).toMatchObject({ kind: 'digest', alerts: articles.map((a) => expect.objectContaining({ title: a.title })) });
    await Promise.all([r1.alerter.stop(), r2.alerter.stop()]);
  });
});
