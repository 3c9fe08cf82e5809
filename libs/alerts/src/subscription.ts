import { z } from 'zod';
import { TOPIC_IDS, TopicId, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { parseQuery } from '@monitor/query';
import { generateWebhookSecret, webhookSecretProblem, webhookSigningSecret } from './webhook-signing';

export type DeliveryMode = 'immediate' | 'hourly' | 'daily';

export interface WebhookTarget {
  url: string;
  /**
   * The signing key: a Standard Webhooks `whsec_<base64>` secret (what is generated when the
   * subscriber gives none), or a passphrase of 16+ characters whose UTF-8 bytes are the key.
   */
  secret: string;
}

/** A webhook target as its owner sees it: with the secret in the form Standard Webhooks libraries take. */
export interface WebhookTargetView extends WebhookTarget {
  /** `whsec_<base64>`: `new Webhook(signingSecret).verify(body, headers)`. Derived from `secret`, never stored. */
  signingSecret: string;
}

export interface Subscription {
  id: string;
  ownerKeyId: string;
  name: string;
  /** Empty means any topic: the article must carry at least one topic at or above minScore. */
  topics: TopicId[];
  /** 'any': one of the topics suffices; 'all': the article must carry every one of them. */
  topicsMode: 'any' | 'all';
  query?: string;
  /** Source ids; empty means every source. */
  sources: string[];
  /** Language codes (en, ru, zh); empty means every language. */
  languages: string[];
  minScore: number;
  delivery: { mode: DeliveryMode };
  /** SSE is always on; webhook and email are optional. */
  channels: { sse: true; webhook?: WebhookTarget; email?: { to: string } };
  spikeAlerts: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a client sends to create or replace a subscription (before defaults). */
export type SubscriptionInput = z.input<typeof SubscriptionInputSchema>;

const trimmedId = z.string().trim().min(1).max(200);

const topicsField = z
  .preprocess(
    (v) => (v === 'any' ? [] : v),
    z.array(z.enum([...TOPIC_IDS, 'any'], { error: 'a topic id from GET /topics, or "any"' })).max(TOPIC_IDS.length + 1),
  )
  .optional()
  .transform((value): TopicId[] => {
    if (value === undefined || value.includes('any')) return [];
    return [...new Set(value as TopicId[])];
  });

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials');

export const SubscriptionInputSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  topics: topicsField,
  topicsMode: z.enum(['any', 'all']).default('any'),
  query: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .transform((v) => (v ? v : undefined)),
  sources: z.array(trimmedId).max(500).default([]),
  languages: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'a language code such as en, ru or zh'))
    .max(100)
    .default([]),
  minScore: z.number().min(0).max(1_000_000).default(0),
  delivery: z.strictObject({ mode: z.enum(['immediate', 'hourly', 'daily']) }).default({ mode: 'immediate' }),
  channels: z
    .strictObject({
      sse: z.literal(true).optional(),
      webhook: z
        .strictObject({
          url: webhookUrl,
          secret: z.string().max(500).optional(),
          // Read-only (derived from secret); accepted so that a subscription's channels can be sent back as read.
          signingSecret: z.string().max(1000).optional(),
        })
        .optional(),
      email: z.strictObject({ to: z.string().trim().pipe(z.email()) }).optional(),
    })
    .default({}),
  spikeAlerts: z.boolean().default(false),
});

type ParsedInput = z.output<typeof SubscriptionInputSchema>;

/** The validated, normalised part of a subscription that its owner controls. */
export type SubscriptionSpec = Omit<Subscription, 'id' | 'ownerKeyId' | 'createdAt' | 'updatedAt'>;

/**
 * Validates a client's subscription body. Throws ValidationError whose `field` is the dotted path
 * of the first bad field (for example `channels.webhook.url`), so the API can answer a 400 naming it.
 */
export function parseSubscriptionInput(input: unknown, previous?: SubscriptionSpec): SubscriptionSpec {
  const result = SubscriptionInputSchema.safeParse(input);
  if (!result.success) throw validationErrorFromZod(result.error, { root: '(body)' });
  const v: ParsedInput = result.data;
  if (v.topicsMode === 'all' && v.topics.length === 0) {
    throw new ValidationError('topics: topicsMode "all" needs at least one topic', 'topics');
  }
  if (v.query !== undefined) parseQuery(v.query, { field: 'query' });
  const channels: Subscription['channels'] = { sse: true };
  if (v.channels.webhook) {
    const given = v.channels.webhook.secret;
    const kept = previousSecret(previous, v.channels.webhook.url);
    // A secret stored before today's rules (the update restates it) is kept as it is: no subscription breaks.
    const problem = given !== undefined && given !== kept ? webhookSecretProblem(given) : undefined;
    if (problem) throw new ValidationError(`channels.webhook.secret: ${problem}`, 'channels.webhook.secret');
    const secret = given ?? kept ?? generateWebhookSecret();
    const shown = v.channels.webhook.signingSecret;
    if (shown !== undefined && shown !== webhookSigningSecret(secret)) {
      throw new ValidationError(
        'channels.webhook.signingSecret: read-only, derived from secret; leave it out (or send it as read) and set secret to change the key',
        'channels.webhook.signingSecret',
      );
    }
    channels.webhook = { url: v.channels.webhook.url, secret };
  }
  if (v.channels.email) channels.email = { to: v.channels.email.to };
  return {
    name: v.name ?? '',
    topics: v.topics,
    topicsMode: v.topicsMode,
    ...(v.query !== undefined ? { query: v.query } : {}),
    sources: [...new Set(v.sources)],
    languages: [...new Set(v.languages)],
    minScore: v.minScore,
    delivery: { mode: v.delivery.mode },
    channels,
    spikeAlerts: v.spikeAlerts,
  };
}

// Updating a subscription without restating the secret keeps the one the receiver already knows.
function previousSecret(previous: SubscriptionSpec | undefined, url: string): string | undefined {
  return previous?.channels.webhook?.url === url ? previous.channels.webhook.secret : undefined;
}

/** A subscription as the API shows it to its owner: the webhook secret also in `whsec_` form. */
export type SubscriptionView = Omit<Subscription, 'channels'> & {
  channels: Omit<Subscription['channels'], 'webhook'> & { webhook?: WebhookTargetView };
};

export function subscriptionView(subscription: Subscription): SubscriptionView {
  const { webhook, ...channels } = subscription.channels;
  if (!webhook) return { ...subscription, channels };
  return { ...subscription, channels: { ...channels, webhook: { ...webhook, signingSecret: webhookSigningSecret(webhook.secret) } } };
}

/** The subscription as its owner may see it: everything, including the webhook secret it set. */
export function specOf(subscription: Subscription): SubscriptionSpec {
  const { id: _id, ownerKeyId: _o, createdAt: _c, updatedAt: _u, ...spec } = subscription;
  return spec;
}
