import { MonitorError } from '@monitor/contracts';

/** A subscription that does not exist or belongs to another key: both answer 404, so ids leak nothing. */
export class SubscriptionNotFoundError extends MonitorError {
  constructor(readonly subscriptionId: string) {
    super('SUBSCRIPTION_NOT_FOUND', `subscription ${subscriptionId} not found`);
  }
}

/**
 * Another writer changed the subscription between this update's read and its write; the update
 * was not applied. Retriable: reading again and re-applying the patch may succeed.
 */
export class SubscriptionConflictError extends MonitorError {
  constructor(
    readonly subscriptionId: string,
    cause?: unknown,
  ) {
    super('SUBSCRIPTION_CONFLICT', `subscription ${subscriptionId} was changed by another writer; read it again and retry`, { retriable: true, cause });
  }
}

/**
 * A change that is valid on its own but leaves the subscription inconsistent with what it holds
 * (topicsMode "all" on a subscription without topics): 409, naming the field.
 */
export class SubscriptionChangeConflictError extends MonitorError {
  constructor(
    readonly field: string,
    message: string,
    cause?: unknown,
  ) {
    super('SUBSCRIPTION_CHANGE_CONFLICT', `${message} (with what the subscription already holds)`, { cause });
  }
}

/** A missing, malformed, unknown or revoked API key (401). */
export class ApiKeyRejectedError extends MonitorError {
  constructor(reason: string) {
    super('API_KEY_REJECTED', reason);
  }
}

/** A webhook URL that is not http(s) or resolves to a private, loopback or otherwise non-public address. */
export class WebhookUrlRefusedError extends MonitorError {
  constructor(
    readonly url: string,
    reason: string,
    cause?: unknown,
  ) {
    super('WEBHOOK_URL_REFUSED', `webhook URL refused: ${reason}`, { cause });
  }
}

/** One failed delivery attempt; `retriable` says whether another attempt may succeed. */
export class DeliveryError extends MonitorError {
  constructor(
    readonly channel: string,
    message: string,
    options: { retriable: boolean; cause?: unknown; retryAfterMs?: number },
  ) {
    super('DELIVERY_FAILED', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly retryAfterMs?: number;
}
