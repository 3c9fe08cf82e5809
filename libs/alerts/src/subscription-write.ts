import { randomBytes } from 'node:crypto';
import { Subscription, parseSubscriptionInput, specOf } from './subscription';

/** A new subscription from a client's body: validated (ValidationError naming the field), with a fresh id. */
export function newSubscription(ownerKeyId: string, input: unknown, at: string): Subscription {
  const spec = parseSubscriptionInput(input);
  return { id: 's' + randomBytes(8).toString('hex'), ownerKeyId, ...spec, createdAt: at, updatedAt: at };
}

/**
 * A subscription with a client's patch applied: the given top-level fields replace the stored
 * ones and the result is validated as a whole, so a patch cannot leave an invalid subscription.
 */
export function patchedSubscription(current: Subscription, patch: unknown, at: string): Subscription {
  const previous = specOf(current);
  const merged = patch && typeof patch === 'object' && !Array.isArray(patch) ? { ...toInput(previous), ...(patch as object) } : patch;
  const spec = parseSubscriptionInput(merged, previous);
  const updated: Subscription = { ...current, ...spec, updatedAt: at };
  if (spec.query === undefined) delete updated.query;
  return updated;
}

// A stored spec turned back into input form, so a partial update validates as a whole.
function toInput(spec: ReturnType<typeof specOf>): Record<string, unknown> {
  const { channels, ...rest } = spec;
  const inputChannels: Record<string, unknown> = {};
  if (channels.webhook) inputChannels.webhook = { ...channels.webhook };
  if (channels.email) inputChannels.email = { ...channels.email };
  return { ...rest, channels: inputChannels };
}
