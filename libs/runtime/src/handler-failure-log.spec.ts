import { MonitorError } from '@monitor/contracts';
import type { Logger } from '@monitor/observability';
import { HandlerFailureLog } from './handler-failure-log';

function recordingLogger() {
  const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const logger = { error: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }) } as unknown as Logger;
  return { logger, lines };
}

describe('HandlerFailureLog', () => {
  const batch = [{ topic: 't', partition: 0, offset: '7', key: 'a1', value: '{}', headers: {} }];

  it('logs one line per topic, group and error code per window, counting the rest', () => {
    let now = 0;
    const { logger, lines } = recordingLogger();
    const log = new HandlerFailureLog({ logger, windowMs: 1_000, now: () => now });
    const outage = new MonitorError('STORE_UNAVAILABLE', 'away', { retriable: true });
    for (let i = 1; i <= 5; i++) log.report('news.classified.v1', 'indexer', outage, batch, i);
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true, topic: 'news.classified.v1', group: 'indexer', attempt: 1, batchSize: 1, firstKey: 'a1', alsoFailedSinceLastLine: 0 });

    // Another code or another group is news: logged at once.
    log.report('news.classified.v1', 'indexer', new Error('boom'), batch, 6);
    log.report('news.classified.v1', 'alerter', outage, batch, 1);
    expect(lines).toHaveLength(3);
    expect(lines[1].fields.code).toBe('UNEXPECTED');

    now = 1_000;
    log.report('news.classified.v1', 'indexer', outage, batch, 7);
    expect(lines).toHaveLength(4);
    expect(lines[3].fields).toMatchObject({ attempt: 7, alsoFailedSinceLastLine: 4 });
  });
});
