import { DeliveryLog, NewDelivery } from '../delivery-log.port';

export interface DeliveryLogContext {
  /** An empty log whose leases and timestamps follow `now`. */
  create(now: () => Date): DeliveryLog;
}

const row = (alertId: string, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
  alertId, channel: 'webhook', kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1', ...overrides,
});

/** The behaviour every adapter of the delivery log must show, written against the port only. */
export function describeDeliveryLogContract(name: string, context: DeliveryLogContext): void {
  describe(`DeliveryLog contract: ${name}`, () => {
    let at: number;
    let log: DeliveryLog;
    const advance = (ms: number) => void (at += ms);
    beforeEach(() => {
      at = Date.parse('2025-03-01T09:00:00Z');
      log = context.create(() => new Date(at));
    });

    it('adds a pending row once; enqueueing it again leaves it as it is', () => {
      log.enqueue([row('a1')]);
      log.recordAttempt(row('a1'), 'HTTP 500');
      log.enqueue([row('a1'), row('a1', { channel: 'email' })]);
      expect(log.get(row('a1'))).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', deadLetterPending: false, deliveredAt: null });
      expect(log.get(row('a1', { channel: 'email' }))).toMatchObject({ status: 'pending', attempts: 0, kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1' });
      expect(log.get(row('a-unknown'))).toBeNull();
    });

    it('lets one worker claim a pending row until its lease runs out, and renews only live leases', () => {
      log.enqueue([row('a1')]);
      expect(log.claim(row('a1'), 1000)).toBe(true);
      expect(log.claim(row('a1'), 1000)).toBe(false);
      expect(log.claimStale(10, 1000)).toEqual([]);
      advance(900);
      log.renew([row('a1')], 1000);
      advance(900);
      expect(log.claim(row('a1'), 1000)).toBe(false);
      advance(200);
      log.renew([row('a1')], 1000); // ran out: a dead worker's renewal must not take the row back
      expect(log.claimStale(10, 1000).map((r) => r.alertId)).toEqual(['a1']);
      expect(log.claimStale(10, 1000)).toEqual([]);
    });

    it('frees a released row at once', () => {
      log.enqueue([row('a1')]);
      expect(log.claim(row('a1'), 60_000)).toBe(true);
      log.release(row('a1'));
      expect(log.claim(row('a1'), 60_000)).toBe(true);
    });

    it('counts attempts, keeps the last error, and ends a row delivered: no longer claimable', () => {
      log.enqueue([row('a1')]);
      log.claim(row('a1'), 1000);
      log.recordAttempt(row('a1'), 'HTTP 503');
      log.recordAttempt(row('a1'), null);
      advance(10);
      log.markDelivered(row('a1'));
      expect(log.get(row('a1'))).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'HTTP 503', deliveredAt: new Date(at).toISOString() });
      advance(5000);
      expect(log.claim(row('a1'), 1000)).toBe(false);
      expect(log.claimStale(10, 1000)).toEqual([]);
    });

    it('holds a failed row for its dead letter, hands it to another worker when the hold runs out, and forgets it once published', () => {
      log.enqueue([row('a1'), row('a2')]);
      log.markFailed(row('a1'), 'HTTP 500 (after 3 attempts)', 1000);
      log.markFailed(row('a2'), 'gone');
      expect(log.get(row('a1'))).toMatchObject({ status: 'failed', lastError: 'HTTP 500 (after 3 attempts)', deadLetterPending: true });
      expect(log.get(row('a2'))).toMatchObject({ status: 'failed', deadLetterPending: false });
      expect(log.claimDeadLetters(10, 1000)).toEqual([]);
      advance(1001);
      expect(log.claimDeadLetters(10, 1000).map((r) => r.alertId)).toEqual(['a1']);
      expect(log.claimDeadLetters(10, 1000)).toEqual([]);
      log.release(row('a1'));
      expect(log.claimDeadLetters(10, 1000).map((r) => r.alertId)).toEqual(['a1']);
      log.markDeadLettered(row('a1'));
      advance(5000);
      expect(log.claimDeadLetters(10, 1000)).toEqual([]);
      expect(log.get(row('a1'))).toMatchObject({ status: 'failed', deadLetterPending: false });
      expect(log.claimStale(10, 1000)).toEqual([]);
    });

    it('lists newest first, filtered by owner, subscription and status, within the limit', () => {
      log.enqueue([row('a1')]);
      advance(1000);
      log.enqueue([row('a2', { ownerKeyId: 'k2', subscriptionId: 's2' })]);
      advance(1000);
      log.enqueue([row('a3')]);
      log.markDelivered(row('a3'));
      expect(log.list({}).map((r) => r.alertId)).toEqual(['a3', 'a2', 'a1']);
      expect(log.list({ ownerKeyId: 'k1' }).map((r) => r.alertId)).toEqual(['a3', 'a1']);
      expect(log.list({ subscriptionId: 's2' }).map((r) => r.alertId)).toEqual(['a2']);
      expect(log.list({ status: 'pending' }).map((r) => r.alertId)).toEqual(['a2', 'a1']);
      expect(log.list({ limit: 1 }).map((r) => r.alertId)).toEqual(['a3']);
    });
  });
}
