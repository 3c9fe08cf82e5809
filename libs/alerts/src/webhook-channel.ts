import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Alert } from '@monitor/contracts';
import { DeliveryError, WebhookUrlRefusedError } from './alert-errors';
import { PushChannelSender, PushMessage } from './push-channel';
import { Subscription } from './subscription';
import { WebhookUrlPolicy } from './webhook-url-policy';

export const SIGNATURE_HEADER = 'X-Monitor-Signature';
export const DELIVERY_HEADER = 'X-Monitor-Delivery';
export const EVENT_HEADER = 'X-Monitor-Event';

/**
 * The documented webhook body. `id` is the same on every retry of one delivery, so a receiver can
 * drop a repeat it already handled (a timeout can hide a success).
 *   { "type": "alert",  "id": "<alert id>",  "subscriptionId": "...", "subscriptionName": "...", "alert": {alerts.v1} }
 *   { "type": "digest", "id": "<digest id>", "subscriptionId": "...", "subscriptionName": "...",
 *     "period": { "mode": "hourly"|"daily", "from": ISO, "to": ISO }, "alerts": [ {alerts.v1}, ... ] }
 */
export type WebhookBody =
  | { type: 'alert'; id: string; subscriptionId: string; subscriptionName: string; alert: Alert }
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
    ? { type: 'alert', ...common, alert: message.alert }
    : { type: 'digest', ...common, period: message.period, alerts: message.alerts };
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`; a receiver recomputes it over the bytes it got. */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}

export interface WebhookChannelOptions {
  policy?: WebhookUrlPolicy;
  timeoutMs?: number;
  userAgent?: string;
}

/** One POST per attempt; the dispatcher retries. 2xx is success; 408, 425, 429 and 5xx may succeed later. */
export class WebhookChannel implements PushChannelSender {
  readonly channel = 'webhook' as const;
  private readonly policy: WebhookUrlPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: WebhookChannelOptions = {}) {
    this.policy = options.policy ?? new WebhookUrlPolicy(false);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? 'drug-control-monitor-webhook/1';
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
    const raw = Buffer.from(JSON.stringify(webhookBody(message, subscription)), 'utf8');
    const status = await this.post(url, raw, signal, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(raw.length),
      'User-Agent': this.userAgent,
      [SIGNATURE_HEADER]: signWebhookBody(raw, target.secret),
      [DELIVERY_HEADER]: message.id,
      [EVENT_HEADER]: message.kind,
    });
    if (status.code >= 200 && status.code < 300) return;
    const retriable = status.code >= 500 || [408, 425, 429].includes(status.code);
    throw new DeliveryError('webhook', `HTTP ${status.code} from ${url.host}`, { retriable, retryAfterMs: status.retryAfterMs });
  }

  private post(url: URL, body: Buffer, signal: AbortSignal | undefined, headers: Record<string, string>): Promise<{ code: number; retryAfterMs?: number }> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, { method: 'POST', headers, lookup: this.policy.lookupFor(url), timeout: this.timeoutMs, signal }, (res) => {
        // The answer's body is of no use; read it away (up to a point) so the socket can be reused.
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) res.destroy();
        });
        res.on('error', () => undefined);
        res.on('close', () => resolve({ code: res.statusCode ?? 0, retryAfterMs: retryAfterMs(res.headers['retry-after']) }));
      });
      req.on('timeout', () => req.destroy(new DeliveryError('webhook', `no answer from ${url.host} in ${this.timeoutMs} ms`, { retriable: true })));
      req.on('error', (error) => {
        if (error instanceof DeliveryError) return reject(error);
        if (error instanceof WebhookUrlRefusedError) return reject(new DeliveryError('webhook', error.message, { retriable: false, cause: error }));
        reject(new DeliveryError('webhook', `${(error as NodeJS.ErrnoException).code ?? 'network error'}: ${error.message}`, { retriable: true, cause: error }));
      });
      req.end(body);
    });
  }
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
