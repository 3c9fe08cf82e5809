import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Webhook signatures. Deliveries are signed as Standard Webhooks (https://www.standardwebhooks.com)
 * specify, so a receiver verifies with an off-the-shelf library: `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), the
 * key given as `whsec_<base64>`. The signing itself is the `standardwebhooks` package, the same code
 * receivers verify with, so the two cannot drift apart.
 *
 * A subscription's secret is either already a `whsec_` key, or a passphrase (the only form before
 * Standard Webhooks, still accepted): its UTF-8 bytes are the key, so its `whsec_` form is those
 * bytes in base64, and the legacy `X-Monitor-Signature` (an HMAC keyed with the same bytes) and the
 * new signature come from one secret that no receiver has to change.
 */

export const STANDARD_SECRET_PREFIX = 'whsec_';

/** The least key a new secret may carry: as many bytes as a passphrase needs characters. */
export const MIN_SECRET_BYTES = 16;

/** The largest key Standard Webhooks expects (its secrets are 24 to 64 bytes). */
export const MAX_SECRET_BYTES = 64;

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

export interface StandardWebhookHeaders {
  [WEBHOOK_ID_HEADER]: string;
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
}

/** The key bytes of a `whsec_` secret, or undefined when the secret is not one the library can read. */
function standardKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) return undefined;
  try {
    // The library decodes the key itself; it is the judge of what a receiver's copy will accept.
    new Webhook(secret);
  } catch {
    return undefined;
  }
  return Buffer.from(secret.slice(STANDARD_SECRET_PREFIX.length), 'base64');
}

/** The secret as a Standard Webhooks library takes it (`new Webhook(signingSecret)`). */
export function webhookSigningSecret(secret: string): string {
  if (standardKey(secret)) return secret;
  return STANDARD_SECRET_PREFIX + Buffer.from(secret, 'utf8').toString('base64');
}

/**
 * What is wrong with a secret a subscriber sends, or undefined. A secret that starts with `whsec_`
 * is meant as a Standard Webhooks key, so a malformed one is refused rather than quietly taken as a
 * passphrase (the receiver's library would then disagree with us on every delivery).
 */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) {
    return secret.length < MIN_SECRET_BYTES ? `at least ${MIN_SECRET_BYTES} characters` : undefined;
  }
  const key = standardKey(secret);
  if (!key) return `${STANDARD_SECRET_PREFIX} followed by base64 (a Standard Webhooks secret)`;
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    return `a ${STANDARD_SECRET_PREFIX} secret of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (this one has ${key.length})`;
  }
  return undefined;
}

/** A fresh secret, already in Standard Webhooks form: 32 random bytes. */
export function generateWebhookSecret(): string {
  return STANDARD_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The three Standard Webhooks headers of one attempt. `id` is the delivery's (the same on every
 * retry, so a receiver can drop a repeat); the timestamp is the attempt's, so a captured request
 * stops verifying once it is older than the receiver's tolerance.
 */
export function signStandardWebhook(id: string, at: Date, rawBody: Buffer, secret: string): StandardWebhookHeaders {
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(seconds),
    [WEBHOOK_SIGNATURE_HEADER]: new Webhook(webhookSigningSecret(secret)).sign(id, new Date(seconds * 1000), rawBody),
  };
}

/**
 * The legacy `X-Monitor-Signature`: `sha256=<hex HMAC-SHA256 of the raw body>`, keyed with the
 * secret's UTF-8 bytes. It carries no timestamp, so a captured delivery can be replayed; it is sent
 * for one more release beside the Standard Webhooks headers, then dropped.
 */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}
