import { setTimeout as sleep } from 'node:timers/promises';
import { Alert } from '@monitor/contracts';
import { AlertDispatcher } from './alert-dispatcher';
import { DeliveryError } from './alert-errors';
import { AlertLedger } from './alert-ledger.port';
import { DeliveryKey, DeliveryRecord } from './delivery-log.port';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';
import { MemoryDeliveryLog } from './testing';

const subscription = { id: 's1', ownerKeyId: 'k1', delivery: { mode: 'immediate' } } as Subscription;
const key: DeliveryKey = { alertId: 'a1', channel: 'webhook' };
const alert = { id: 'a1', subscriptionId: 's1' } as Alert;
const message: PushMessage = { kind: 'alert', id: 'a1', alert };

/** A receiver that always answers 500, slowly: each attempt takes `ms`. */
function refusingReceiver(ms: number) {
  const sent: number[] = [];
  const sender: PushChannelSender = {
    channel: 'webhook',
    wants: () => true,
    async send() {
      sent.push(Date.now());
      await sleep(ms);
      throw new DeliveryError('webhook', 'HTTP 500', { retriable: true });
    },
  };
  return { sender, sent };
}

function dispatcher(log: MemoryDeliveryLog, sender: PushChannelSender, deadLetters: DeliveryRecord[], ledger?: AlertLedger): AlertDispatcher {
  return new AlertDispatcher({
    log,
    ledger: ledger ?? ({ getByAlertId: async () => ({ alert }) } as unknown as AlertLedger),
    subscriptions: { findById: async () => subscription },
    channels: [sender],
    maxAttempts: 4,
    initialDelayMs: 1,
    maxDelayMs: 1,
    leaseMs: 20,
    // Renewals that never land: the replica's lease runs out while it is still sending.
    heartbeat: () => () => undefined,
    deadLetter: async (record) => void deadLetters.push(record),
  });
}

describe('AlertDispatcher attempt limit', () => {
  it('makes no more than the attempt limit between two replicas that both hold one row', async () => {
    const log = new MemoryDeliveryLog();
    await log.enqueue([{ ...key, kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1' }]);
    const { sender, sent } = refusingReceiver(30);
    const deadLetters: DeliveryRecord[] = [];
    const first = dispatcher(log, sender, deadLetters);
    const second = dispatcher(log.sibling(), sender, deadLetters);

    const firstRun = first.run(key, message);
    await sleep(25); // the first replica's lease has run out in the middle of its first attempt
    const secondRun = second.run(key, message);
    await Promise.all([firstRun, secondRun]);

    expect(sent).toHaveLength(4);
    const row = await log.get(key);
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row!.lastError).toMatch(/HTTP 500.*after 4 attempts/);
    expect(deadLetters).toHaveLength(1);
  });

  it('ends a resumed row whose attempts are spent without sending again', async () => {
    const log = new MemoryDeliveryLog();
    await log.enqueue([{ ...key, kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1' }]);
    // A replica counted the last attempt and died before it could record how it went.
    for (let i = 0; i < 4; i++) await log.startAttempt(key, 4);
    await log.recordError(key, 'HTTP 503');
    const { sender, sent } = refusingReceiver(1);
    const deadLetters: DeliveryRecord[] = [];

    expect(await dispatcher(log, sender, deadLetters).resumeStale()).toBe(1);

    expect(sent).toHaveLength(0);
    const row = await log.get(key);
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row!.lastError).toMatch(/HTTP 503 \(after 4 attempts; the last one's outcome was lost/);
    expect(deadLetters.map((r) => r.alertId)).toEqual(['a1']);
  });
});
