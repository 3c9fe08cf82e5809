import { LogEntry, logCreator, logLevel } from 'kafkajs';

/** The part of a pino logger that kafkajs's lines are written to (pino's `(object, message)` form). */
export interface KafkaLogSink {
  error(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  info(object: Record<string, unknown>, message: string): void;
  debug(object: Record<string, unknown>, message: string): void;
}

type SinkLevel = keyof KafkaLogSink;

/**
 * kafkajs lines that look like trouble but are not, with the level they deserve:
 *
 * - When several services start at once they race to create the same topics; the broker answers
 *   the losers TOPIC_ALREADY_EXISTS, which the connection logs as an ERROR before the admin client
 *   treats it as success. A creation that really fails throws from `ensureTopics`, so nothing is lost
 *   by lowering the line.
 * - The idempotent producer warns whenever its retries are bounded. They are bounded on purpose (a
 *   publish must fail in bounded time while the broker is away), and the hazard the warning is
 *   about, a later send reusing the sequence numbers of one that gave up, is closed by the bus:
 *   after a failed publish it discards the producer, and the next one starts a new producer id.
 */
function benignLevel(entry: LogEntry): SinkLevel | undefined {
  const { message } = entry.log;
  const error = (entry.log as { error?: unknown }).error;
  if (entry.namespace === 'Connection' && message.startsWith('Response CreateTopics') && error === 'Topic creation errors') return 'debug';
  if (entry.namespace === 'Producer' && message.startsWith('Limiting retries for the idempotent producer')) return 'debug';
  return undefined;
}

function sinkLevel(level: logLevel): SinkLevel {
  switch (level) {
    case logLevel.ERROR:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

/**
 * Writes kafkajs's log lines into the service's JSON log (one object per line, with the kafkajs
 * namespace), instead of kafkajs's own console format, and lowers the lines known to be benign.
 */
export function kafkaLogCreator(sink: KafkaLogSink): logCreator {
  return () => (entry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...details } = entry.log;
    const level = benignLevel(entry) ?? sinkLevel(entry.level);
    sink[level]({ component: 'kafkajs', namespace: entry.namespace, ...details }, message);
  };
}

/** Without a sink: kafkajs's lines on stderr as JSON, the benign ones left out. */
export function consoleKafkaLogCreator(): logCreator {
  const write = (level: SinkLevel) => (object: Record<string, unknown>, message: string) => {
    if (level === 'debug') return;
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...object, msg: message })}\n`);
  };
  return kafkaLogCreator({ error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') });
}
