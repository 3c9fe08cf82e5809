import { z } from 'zod';
import { NOT_BLANK_PATTERN, TOPIC_IDS, TopicId, ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { HTTP_URL_PATTERN } from '@monitor/outbound-http';
import { parseQuery } from '@monitor/query';
import { generateWebhookSecret, webhookSecretProblem, webhookSigningSecret } from './webhook-signing';

const B64 = '[A-Za-z0-9+/]';
const TAIL = `(?:${B64}{2}==|${B64}{3}=)`;
/** whsec_ and 16 to 64 bytes of canonical base64 (groups of four characters, then a padded tail). */
const WHSEC_PATTERN = `^whsec_(?:(?:${B64}{4}){5}${TAIL}|(?:${B64}{4}){6,20}${TAIL}?|(?:${B64}{4}){21}(?:${B64}{2}==)?)$`;

export type DeliveryMode = 'immediate' | 'hourly' | 'daily';

/** What one alert stands for: a story (one alert when it first matches) or each matching article. */
export type AlertsPer = 'story' | 'article';

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
  /**
   * 'story': one alert when a story first matches (then story.updated alerts if storyUpdates);
   * 'article': one alert per matching article. Absent on subscriptions stored before stories
   * existed, which keep alerting per article (alertsPer()); new ones get 'story' when created.
   */
  per?: AlertsPer;
  /** For per-story subscriptions: a story.updated alert for each later matching article of a story already alerted. */
  storyUpdates?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a client sends to create or replace a subscription (before defaults). */
export type SubscriptionInput = z.input<typeof SubscriptionInputSchema>;

const trimmedId = z.string().trim().min(1).max(200).meta({ pattern: NOT_BLANK_PATTERN });

const topicsList = z
  .preprocess(
    (v) => (v === 'any' ? [] : v),
    z.array(z.enum([...TOPIC_IDS, 'any'], { error: 'a topic id from GET /topics, or "any"' })).max(TOPIC_IDS.length + 1),
  )
  .meta({ description: 'Topic ids (GET /topics); empty, absent, the string "any" or a list holding "any": any topic' });

const topicsField = topicsList
  .optional()
  .transform((value): TopicId[] => {
    if (value === undefined || value.includes('any')) return [];
    return [...new Set(value as TopicId[])];
  });

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(new RegExp(HTTP_URL_PATTERN), 'an http(s) URL without credentials')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials')
  .meta({
    format: 'uri',
    description:
      'http(s), no credentials. A host that is or resolves to a private or loopback address is refused (400, field channels.webhook.url) unless the operator allowed it (ALLOW_PRIVATE_WEBHOOK_HOSTS)',
  });

/** The fields a subscriber sets, each with its checks; create and change share them. */
const fields = {
  name: z.string().trim().max(200).optional(),
  topicsMode: z.enum(['any', 'all']).meta({ description: 'any: one of the topics suffices; all: the article must carry every one' }),
  query: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .transform((v) => (v ? v : undefined))
    .meta({ format: 'monitor-query', description: 'Words, "phrases", OR, -excluded, prefix*, ( ) over title and text; the language of GET /search?q=' }),
  sources: z.array(trimmedId).max(500).meta({ description: 'Source ids (GET /sources); empty: every source' }),
  languages: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'a language code such as en, ru or zh'))
    .max(100)
    .meta({ description: 'Language codes; empty: every language' }),
  minScore: z.number().min(0).max(1_000_000).meta({ description: "The least score of a topic for the article to count as that topic's" }),
  delivery: z
    .strictObject({ mode: z.enum(['immediate', 'hourly', 'daily']) })
    .meta({ description: 'immediate, or a digest: one webhook call or email per hour or day' }),
  channels: z
    .strictObject({
      sse: z.literal(true).optional(),
      webhook: z
        .strictObject({
          url: webhookUrl,
          // The rule webhookSecretProblem applies, said in JSON Schema for the OpenAPI document: a
          // whsec_ key of 16 to 64 bytes in canonical base64, or a passphrase not starting whsec_.
          secret: z
            .string()
            .min(16, 'at least 16 characters')
            .max(500)
            .optional()
            .meta({
              description: 'Signing key: whsec_<base64> (16-64 bytes) or a passphrase of 16+ characters; generated when absent',
              anyOf: [{ pattern: WHSEC_PATTERN }, { not: { pattern: '^whsec_' } }],
            }),
          // Read-only (derived from secret); accepted so that a subscription's channels can be sent back as read.
          signingSecret: z.string().max(1000).optional().meta({ readOnly: true, description: 'Read-only: the secret in whsec_ form, for Standard Webhooks libraries; may be sent back as read' }),
        })
        .optional(),
      email: z
        .strictObject({
          // The pattern is the check z.email() makes; JSON Schema's `email` format is another (it limits lengths).
          to: z.string().trim().pipe(z.email()).meta({ pattern: z.regexes.email.source, description: 'An email address' }),
        })
        .optional(),
    })
    .meta({ description: 'SSE (GET /alerts/stream) always; optional webhook and email' }),
  spikeAlerts: z.boolean().meta({ description: "Also tell when one of the topics' daily volume jumps well above its baseline" }),
  per: z.enum(['story', 'article']).meta({
    description:
      'story: one alert when a story (one event, reported by several sources and languages) first matches; article: one alert per matching article. New subscriptions: story; those made before the option existed: article',
  }),
  storyUpdates: z.boolean().meta({ description: 'With per "story": also a story.updated alert for each later matching article of a story already alerted' }),
};

const UPDATES_NEED_STORY = 'storyUpdates: only a per "story" subscription has story updates';

// storyUpdates with per "article" is refused, in JSON Schema for the OpenAPI document.
const UPDATES_NEED_STORY_SCHEMA = {
  if: { required: ['per', 'storyUpdates'], properties: { per: { const: 'article' } } },
  then: { properties: { storyUpdates: { const: false } } },
};

// topicsMode "all" with no topic is refused; said in JSON Schema for the OpenAPI document, since a
// check across fields has no JSON Schema of its own.
const ALL_NEEDS_TOPICS = {
  if: { required: ['topicsMode'], properties: { topicsMode: { const: 'all' } } },
  then: { required: ['topics'], properties: { topics: { type: 'array', minItems: 1, not: { contains: { const: 'any' } } } } },
};

/** A new subscription: every field optional, defaults filled in (per: story, the default since stories exist). */
export const SubscriptionInputSchema = z
  .strictObject({
    name: fields.name,
    topics: topicsField,
    topicsMode: fields.topicsMode.default('any'),
    query: fields.query,
    sources: fields.sources.default([]),
    languages: fields.languages.default([]),
    minScore: fields.minScore.default(0),
    delivery: fields.delivery.default({ mode: 'immediate' }),
    channels: fields.channels.default({}),
    spikeAlerts: fields.spikeAlerts.default(false),
    per: fields.per.default('story'),
    storyUpdates: fields.storyUpdates.default(false),
  })
  .meta({ allOf: [ALL_NEEDS_TOPICS, UPDATES_NEED_STORY_SCHEMA] });

/**
 * A change to a subscription (PUT, PATCH): the fields given replace the stored ones, the others
 * stay, so nothing has a default here. Whether topicsMode "all" has topics depends on what is
 * stored, so that is checked on the merged subscription (SubscriptionChangeConflictError).
 */
export const SubscriptionChangeSchema = z
  .strictObject({
    name: fields.name,
    topics: topicsList.optional(),
    topicsMode: fields.topicsMode.optional(),
    query: fields.query,
    sources: fields.sources.optional(),
    languages: fields.languages.optional(),
    minScore: fields.minScore.optional(),
    delivery: fields.delivery.optional(),
    channels: fields.channels.optional(),
    spikeAlerts: fields.spikeAlerts.optional(),
    per: fields.per.optional(),
    storyUpdates: fields.storyUpdates.optional(),
  })
  .superRefine((change, ctx) => {
    if (change.topicsMode === 'all' && change.topics !== undefined && (change.topics.length === 0 || change.topics.includes('any'))) {
      ctx.addIssue({ code: 'custom', path: ['topics'], message: 'topicsMode "all" needs at least one topic' });
    }
    if (change.per === 'article' && change.storyUpdates === true) {
      ctx.addIssue({ code: 'custom', path: ['storyUpdates'], message: 'only a per "story" subscription has story updates' });
    }
  })
  // The checks above in JSON Schema, for the OpenAPI document.
  .meta({
    allOf: [
      {
        if: { required: ['topicsMode', 'topics'], properties: { topicsMode: { const: 'all' } } },
        then: { properties: { topics: { type: 'array', minItems: 1, not: { contains: { const: 'any' } } } } },
      },
      UPDATES_NEED_STORY_SCHEMA,
    ],
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
  if (v.per === 'article' && v.storyUpdates) throw new ValidationError(UPDATES_NEED_STORY, 'storyUpdates');
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
    per: v.per,
    storyUpdates: v.storyUpdates,
  };
}

/** What one alert of this subscription stands for; a subscription stored before the option alerts per article. */
export function alertsPer(subscription: Pick<Subscription, 'per'>): AlertsPer {
  return subscription.per ?? 'article';
}

// Updating a subscription without restating the secret keeps the one the receiver already knows.
function previousSecret(previous: SubscriptionSpec | undefined, url: string): string | undefined {
  return previous?.channels.webhook?.url === url ? previous.channels.webhook.secret : undefined;
}

/** A subscription as the API shows it to its owner: the webhook secret also in `whsec_` form. */
export type SubscriptionView = Omit<Subscription, 'channels'> & {
  channels: Omit<Subscription['channels'], 'webhook'> & { webhook?: WebhookTargetView };
};

/** The view also says `per` and `storyUpdates` of a subscription stored before they existed (article, none), as it behaves. */
export function subscriptionView(subscription: Subscription): SubscriptionView {
  const { webhook, ...channels } = subscription.channels;
  const shown = { ...subscription, per: alertsPer(subscription), storyUpdates: subscription.storyUpdates ?? false };
  if (!webhook) return { ...shown, channels };
  return { ...shown, channels: { ...channels, webhook: { ...webhook, signingSecret: webhookSigningSecret(webhook.secret) } } };
}

/** The subscription as its owner may see it: everything, including the webhook secret it set. */
export function specOf(subscription: Subscription): SubscriptionSpec {
  const { id: _id, ownerKeyId: _o, createdAt: _c, updatedAt: _u, ...spec } = subscription;
  return spec;
}
