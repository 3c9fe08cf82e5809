import { LogEntry, logLevel } from 'kafkajs';
import { KafkaLogSink, kafkaLogCreator } from './kafka-log';

function recordingSink(): { sink: KafkaLogSink; lines: { level: string; object: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (object: Record<string, unknown>, message: string) => lines.push({ level, object, message });
  return { sink: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

function entry(namespace: string, level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return { namespace, level, label: logLevel[level], log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra } };
}

describe('kafkaLogCreator', () => {
  it('writes kafkajs lines to the sink at their level, with the namespace and details', () => {
    const { sink, lines } = recordingSink();
    const log = kafkaLogCreator(sink)(logLevel.INFO);
    log(entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', { groupId: 'indexer.news.classified.v1' }));
    log(entry('Runner', logLevel.WARN, 'The group is rebalancing'));
    expect(lines).toEqual([
      { level: 'error', object: { component: 'kafkajs', namespace: 'Consumer', groupId: 'indexer.news.classified.v1' }, message: 'Crash: KafkaJSNumberOfRetriesExceeded' },
      { level: 'warn', object: { component: 'kafkajs', namespace: 'Runner' }, message: 'The group is rebalancing' },
    ]);
  });

  it('lowers the topic-creation race and the bounded-retries warning to debug', () => {
    const { sink, lines } = recordingSink();
    const log = kafkaLogCreator(sink)(logLevel.INFO);
    log(entry('Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic creation errors', correlationId: 4 }));
    log(entry('Producer', logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    expect(lines.map((line) => line.level)).toEqual(['debug', 'debug']);
  });

  it('keeps other failed responses at error, CreateTopics ones included', () => {
    const { sink, lines } = recordingSink();
    const log = kafkaLogCreator(sink)(logLevel.INFO);
    log(entry('Connection', logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { error: 'The request included a message larger than the max message size the server will accept' }));
    log(entry('Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', { error: 'Replication-factor is invalid' }));
    expect(lines.map((line) => line.level)).toEqual(['error', 'error']);
  });
});
