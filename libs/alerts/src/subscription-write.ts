import { randomBytes } from 'node:crypto';
import { ValidationError, validationErrorFromZod } from '@monitor/contracts';
import { SubscriptionChangeConflictError } from './alert-errors';
import { Subscription, SubscriptionChangeSchema, alertsPer, parseSubscriptionInput, specOf } from './subscription';

/** The shape of every subscription id (`s` and 16 hex digits), as minted below. */
export const SUBSCRIPTION_ID_PATTERN = /^s[0-9a-f]{16}$/;

/** A new subscription from a client's body: validated (ValidationError naming the field), with a fresh id. */
export function newSubscription(ownerKeyId: string, input: unknown, at: string): Subscription {
  const spec = parseSubscriptionInput(input);
  return { id: 's' + randomBytes(8).toString('hex'), ownerKeyId, ...spec, createdAt: at, updatedAt: at };
}

/**
 * A subscription with a client's patch applied: the given top-level fields replace the stored
 * ones and the result is validated as a whole, so a patch cannot leave an invalid subscription.
 * A bad patch is a ValidationError (400); a good one that does not fit what is stored, a
 * SubscriptionChangeConflictError (409).
 */
export function patchedSubscription(current: Subscription, patch: unknown, at: string): Subscription {
  const checked = SubscriptionChangeSchema.safeParse(patch);
  if (!checked.success) throw validationErrorFromZod(checked.error, { root: 'body' });
  const previous = specOf(current);
  const given = patch as { per?: unknown; storyUpdates?: unknown };
  const merged: Record<string, unknown> = { ...toInput(previous), ...given };
  // Switching to per-article drops the story updates it no longer has, rather than refusing the switch.
  if (given.per === 'article' && given.storyUpdates === undefined) merged.storyUpdates = false;
  let spec: ReturnType<typeof parseSubscriptionInput>;
  try {
    spec = parseSubscriptionInput(merged, previous);
  } catch (error) {
    if (error instanceof ValidationError) throw new SubscriptionChangeConflictError(error.field, error.message, error);
    throw error;
  }
  const updated: Subscription = { ...current, ...spec, updatedAt: at };
  if (spec.query === undefined) delete updated.query;
  return updated;
}

// A stored spec turned back into input form, so a partial update validates as a whole. A
// subscription stored before `per` existed says 'article', what it has always done, so that a
// change leaves it per-article instead of taking the default of new ones.
function toInput(spec: ReturnType<typeof specOf>): Record<string, unknown> {
  const { channels, ...rest } = spec;
  const inputChannels: Record<string, unknown> = {};
  if (channels.webhook) inputChannels.webhook = { ...channels.webhook };
  if (channels.email) inputChannels.email = { ...channels.email };
  return { ...rest, per: alertsPer(spec), storyUpdates: spec.storyUpdates ?? false, channels: inputChannels };
}
