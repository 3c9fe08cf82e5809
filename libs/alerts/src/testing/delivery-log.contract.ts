import { DeliveryLog, NewDelivery } from '../delivery-log.port';

export interface DeliveryLogContext {
  /** An empty log whose leases and timestamps follow `now`, and a second instance on the same data (another replica). */
  create(now: () => Date): Promise<{ log: DeliveryLog; another(): DeliveryLog }> | { log: DeliveryLog; another(): DeliveryLog };
}

const row = (alertId: string, overrides: Partial<NewDelivery> = {}): NewDelivery => ({
  alertId, channel: 'webhook', kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1', ...overrides,
});

/** The behaviour every adapter of the delivery log must show, written against the port only. */
export function describeDeliveryLogContract(name: string, context: DeliveryLogContext): void {
  describe(`DeliveryLog contract: ${name}`, () => {
    let at: number;
    let log: DeliveryLog;
    let another: () => DeliveryLog;
    const advance = (ms: number) => void (at += ms);
    beforeEach(async () => {
      at = Date.parse('2025-03-01T09:00:00Z');
      ({ log, another } = await context.create(() => new Date(at)));
    });

    it('adds a pending row once; enqueueing it again leaves it as it is and says what it added', async () => {
      expect(await log.enqueue([row('a1')])).toEqual([row('a1')]);
      await log.startAttempt(row('a1'), 5);
      await log.recordError(row('a1'), 'HTTP 500');
      expect(await log.enqueue([row('a1'), row('a1', { channel: 'email' })])).toEqual([row('a1', { channel: 'email' })]);
      expect(await log.get(row('a1'))).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500', deadLetterPending: false, deliveredAt: null });
      expect(await log.get(row('a1', { channel: 'email' }))).toMatchObject({ status: 'pending', attempts: 0, kind: 'alert', subscriptionId: 's1', ownerKeyId: 'k1' });
      expect(await log.get(row('a-unknown'))).toBeNull();
      expect(await log.enqueue([])).toEqual([]);
    });

    it('lets one worker claim a pending row until its lease runs out, and renews only live leases', async () => {
      await log.enqueue([row('a1')]);
      expect(await log.claim(row('a1'), 1000)).toBe(true);
      expect(await log.claim(row('a1'), 1000)).toBe(false);
      expect(await log.claimStale(10, 1000)).toEqual([]);
      advance(900);
      await log.renew([row('a1')], 1000);
      advance(900);
      expect(await log.claim(row('a1'), 1000)).toBe(false);
      advance(200);
      await log.renew([row('a1')], 1000); // ran out: a dead worker's renewal must not take the row back
      expect((await log.claimStale(10, 1000)).map((r) => r.alertId)).toEqual(['a1']);
      expect(await log.claimStale(10, 1000)).toEqual([]);
    });

    it('frees a released row at once', async () => {
      await log.enqueue([row('a1')]);
      expect(await log.claim(row('a1'), 60_000)).toBe(true);
      await log.release(row('a1'));
      expect(await log.claim(row('a1'), 60_000)).toBe(true);
    });

    it('counts attempts, keeps the last error, and ends a row delivered: no longer claimable', async () => {
      await log.enqueue([row('a1')]);
      await log.claim(row('a1'), 1000);
      expect(await log.startAttempt(row('a1'), 5)).toBe(1);
      await log.recordError(row('a1'), 'HTTP 503');
      expect(await log.startAttempt(row('a1'), 5)).toBe(2);
      advance(10);
      await log.markDelivered(row('a1'));
      expect(await log.get(row('a1'))).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'HTTP 503', deliveredAt: new Date(at).toISOString() });
      advance(5000);
      expect(await log.claim(row('a1'), 1000)).toBe(false);
      expect(await log.claimStale(10, 1000)).toEqual([]);
    });

    it('counts no attempt past the limit, nor on an ended row, even from two replicas at once, and ends a row once', async () => {
      await log.enqueue([row('a1'), row('a2')]);
      const other = another();
      const counted = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? log : other).startAttempt(row('a1'), 3)));
      expect(counted.filter((n) => n !== null).sort()).toEqual([1, 2, 3]);
      expect(counted.filter((n) => n === null)).toHaveLength(2);
      expect(await log.get(row('a1'))).toMatchObject({ status: 'pending', attempts: 3 });
      expect(await log.markFailed(row('a2'), 'gone')).toBe(true);
      expect(await other.startAttempt(row('a2'), 4)).toBeNull();
      expect(await log.startAttempt(row('a-unknown'), 4)).toBeNull();
      // The second holder to end it changes nothing: one failure, one reason, one dead letter.
      expect(await other.markFailed(row('a2'), 'HTTP 500', 1000)).toBe(false);
      await other.recordError(row('a2'), 'HTTP 500');
      expect(await log.get(row('a2'))).toMatchObject({ status: 'failed', attempts: 0, lastError: 'gone', deadLetterPending: false });
    });

    it('holds a failed row for its dead letter, hands it to another worker when the hold runs out, and forgets it once published', async () => {
      await log.enqueue([row('a1'), row('a2')]);
      await log.markFailed(row('a1'), 'HTTP 500 (after 3 attempts)', 1000);
      await log.markFailed(row('a2'), 'gone');
      expect(await log.get(row('a1'))).toMatchObject({ status: 'failed', lastError: 'HTTP 500 (after 3 attempts)', deadLetterPending: true });
      expect(await log.get(row('a2'))).toMatchObject({ status: 'failed', deadLetterPending: false });
      expect(await log.claimDeadLetters(10, 1000)).toEqual([]);
      advance(1001);
      expect((await log.claimDeadLetters(10, 1000)).map((r) => r.alertId)).toEqual(['a1']);
      expect(await log.claimDeadLetters(10, 1000)).toEqual([]);
      await log.release(row('a1'));
      expect((await log.claimDeadLetters(10, 1000)).map((r) => r.alertId)).toEqual(['a1']);
      await log.markDeadLettered(row('a1'));
      advance(5000);
      expect(await log.claimDeadLetters(10, 1000)).toEqual([]);
      expect(await log.get(row('a1'))).toMatchObject({ status: 'failed', deadLetterPending: false });
      expect(await log.claimStale(10, 1000)).toEqual([]);
    });

    it('lists newest first, filtered by owner, subscription and status, within the limit', async () => {
      await log.enqueue([row('a1')]);
      advance(1000);
      await log.enqueue([row('a2', { ownerKeyId: 'k2', subscriptionId: 's2' })]);
      advance(1000);
      await log.enqueue([row('a3')]);
      await log.markDelivered(row('a3'));
      expect((await log.list({})).map((r) => r.alertId)).toEqual(['a3', 'a2', 'a1']);
      expect((await log.list({ ownerKeyId: 'k1' })).map((r) => r.alertId)).toEqual(['a3', 'a1']);
      expect((await log.list({ subscriptionId: 's2' })).map((r) => r.alertId)).toEqual(['a2']);
      expect((await log.list({ status: 'pending' })).map((r) => r.alertId)).toEqual(['a2', 'a1']);
      expect((await log.list({ limit: 1 })).map((r) => r.alertId)).toEqual(['a3']);
    });

    it('two replicas enqueueing and claiming the same rows at once: each row is added once and held by one', async () => {
      const other = another();
      const rows = Array.from({ length: 10 }, (_, i) => row(`a${i}`));
      const [mine, theirs] = await Promise.all([log.enqueue(rows), other.enqueue([...rows].reverse())]);
      expect([...mine, ...theirs].map((r) => r.alertId).sort()).toEqual(rows.map((r) => r.alertId).sort());
      const claims = await Promise.all(rows.flatMap((r) => [log.claim(r, 1000), other.claim(r, 1000)]));
      for (let i = 0; i < rows.length; i++) expect([claims[2 * i], claims[2 * i + 1]].filter(Boolean)).toHaveLength(1);
      advance(1001);
      const [staleMine, staleTheirs] = await Promise.all([log.claimStale(100, 1000), other.claimStale(100, 1000)]);
      expect([...staleMine, ...staleTheirs].map((r) => r.alertId).sort()).toEqual(rows.map((r) => r.alertId).sort());
    });
  });
}
