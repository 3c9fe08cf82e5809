import { request, type Agent } from 'undici';
import { Alert } from '@monitor/contracts';
import { createOutboundAgent, DeadlineExceededError, findAddressRefusal, isRetriableStatus, parseRetryAfter, withDeadline } from '@monitor/outbound-http';
import { DeliveryError } from './alert-errors';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';
import { asWebhookRefusal, WebhookUrlPolicy } from './webhook-url-policy';
import { signStandardWebhook, signWebhookBody } from './webhook-signing';

/** Legacy (no timestamp, so replayable): sent for one more release beside the Standard Webhooks headers. */
export const SIGNATURE_HEADER = 'X-Monitor-Signature';
export const DELIVERY_HEADER = 'X-Monitor-Delivery';
export const EVENT_HEADER = 'X-Monitor-Event';

/**
 * The documented webhook body. `id` is the same on every retry of one delivery, so a receiver can
 * drop a repeat it already handled (a timeout can hide a success). A story.updated alert (a later
 * article of a story already alerted, for a per-story subscription that asked for updates) comes
 * as type "story.updated", so that a receiver made for "alert" alone does not take it for a new story.
 *   { "type": "alert",  "id": "<alert id>",  "subscriptionId": "...", "subscriptionName": "...", "alert": {alerts.v1} }
 *   { "type": "story.updated", "id": "<alert id>", "subscriptionId": "...", "subscriptionName": "...", "alert": {alerts.v1} }
 *   { "type": "digest", "id": "<digest id>", "subscriptionId": "...", "subscriptionName": "...",
 *     "period": { "mode": "hourly"|"daily", "from": ISO, "to": ISO }, "alerts": [ {alerts.v1}, ... ] }
 */
export type WebhookBody =
  | { type: 'alert' | 'story.updated'; id: string; subscriptionId: string; subscriptionName: string; alert: Alert }
  | {
      type: 'digest';
      id: string;
      subscriptionId: string;
      subscriptionName: string;
      period: { mode: 'hourly' | 'daily'; from: string; to: string };
      alerts: Alert[];
    };

export function webhookBody(message: PushMessage, subscription: Subscription): WebhookBody {
  const common = { id: message.id, subscriptionId: subscription.id, subscriptionName: subscription.name };
  return message.kind === 'alert'
    ? { type: message.alert.kind === 'story.updated' ? 'story.updated' : 'alert', ...common, alert: message.alert }
    : { type: 'digest', ...common, period: message.period, alerts: message.alerts };
}

export interface WebhookChannelOptions {
  policy?: WebhookUrlPolicy;
  timeoutMs?: number;
  userAgent?: string;
  /** The clock that stamps each attempt (`webhook-timestamp`); replaceable in tests. */
  now?: () => Date;
}

/** Most of a receiver's answer read (and thrown away); a longer one is cut off. */
const ANSWER_DRAIN_BYTES = 64 * 1024;

/**
 * One POST per attempt; the dispatcher retries. 2xx is success; whether a failure may succeed
 * later is the project's one rule (`isRetriableStatus`: 408, 425, 429 and most 5xx). Connections
 * go through the outbound agent, so the address policy is checked on every connection, not only
 * when the subscription was saved.
 */
export class WebhookChannel implements PushChannelSender {
  readonly channel = 'webhook' as const;
  private readonly policy: WebhookUrlPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly agent: Agent;
  private readonly now: () => Date;

  constructor(options: WebhookChannelOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.policy = options.policy ?? new WebhookUrlPolicy(false);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? 'drug-control-monitor-webhook/1';
    this.agent = createOutboundAgent(this.policy.addresses);
  }

  wants(subscription: Subscription): boolean {
    return Boolean(subscription.channels.webhook);
  }

  async send(message: PushMessage, subscription: Subscription, signal?: AbortSignal): Promise<void> {
    const target = subscription.channels.webhook;
    if (!target) throw new DeliveryError('webhook', 'subscription has no webhook', { retriable: false });
    let url: URL;
    try {
      url = this.policy.checkUrl(target.url);
    } catch (error) {
      throw new DeliveryError('webhook', (error as Error).message, { retriable: false, cause: error });
    }
    const body = webhookBody(message, subscription);
    const raw = Buffer.from(JSON.stringify(body), 'utf8');
    const status = await this.post(url, raw, signal, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': this.userAgent,
      // Signed per attempt: the id stays the delivery's, the timestamp is this attempt's.
      ...signStandardWebhook(message.id, this.now(), raw, target.secret),
      [SIGNATURE_HEADER]: signWebhookBody(raw, target.secret),
      [DELIVERY_HEADER]: message.id,
      [EVENT_HEADER]: body.type,
    });
    if (status.code >= 200 && status.code < 300) return;
    throw new DeliveryError('webhook', `HTTP ${status.code} from ${url.host}`, { retriable: isRetriableStatus(status.code), retryAfterMs: status.retryAfterMs });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async post(url: URL, body: Buffer, signal: AbortSignal | undefined, headers: Record<string, string>): Promise<{ code: number; retryAfterMs?: number }> {
    try {
      return await withDeadline(this.timeoutMs, async (bounded) => {
        // One connection per POST: a kept-alive socket the receiver closes while it sits idle fails
        // the next POST, which undici cannot safely resend, and webhooks are too sparse to gain from reuse.
        const response = await request(url, { method: 'POST', headers, body, dispatcher: this.agent, signal: bounded, reset: true });
        // The status decides; a receiver that drips its answer is cut off by the deadline, not failed for it.
        await response.body.dump({ limit: ANSWER_DRAIN_BYTES, signal: bounded }).catch(() => undefined);
        return { code: response.statusCode, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
      }, signal);
    } catch (error) {
      if (error instanceof DeadlineExceededError) throw new DeliveryError('webhook', `no answer from ${url.host} in ${this.timeoutMs} ms`, { retriable: true, cause: error });
      const refusal = findAddressRefusal(error);
      if (refusal) throw new DeliveryError('webhook', (asWebhookRefusal(refusal, url.href) as Error).message, { retriable: false, cause: error });
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      const code = (error as NodeJS.ErrnoException).code ?? cause?.code ?? 'network error';
      throw new DeliveryError('webhook', `${code}: ${(error as Error).message}`, { retriable: true, cause: error });
    }
  }
}
