import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Every line carries the service; lines about one article carry its
 * `articleId` and `traceId` (from the message headers), so an article can be followed through
 * all five services with one filter.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

export function articleLogger(logger: Logger, articleId: string, traceId?: string): Logger {
  return logger.child({ articleId, traceId });
}

export const MONITOR_LOGGER = Symbol('MONITOR_LOGGER');
