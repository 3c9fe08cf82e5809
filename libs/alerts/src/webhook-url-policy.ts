import { parseHostAllowList } from '@monitor/config';
import { AddressRefusedError, OutboundAddressPolicy, OutboundUrlError, parseOutboundUrl, portOf } from '@monitor/outbound-http';
import { WebhookUrlRefusedError } from './alert-errors';

/**
 * Webhook URLs must not reach into the operator's own network (SSRF). The rule is the project's
 * one outbound address policy (`@monitor/outbound-http`); this adds the webhook's own error, so the
 * API and the delivery log say "webhook URL refused: ..." whichever check caught it.
 */
export class WebhookUrlPolicy {
  readonly addresses: OutboundAddressPolicy;

  /**
   * `allowPrivate`: true allows every private address; a list allows those hosts (`host` or
   * `host:port`); the config variable ALLOW_PRIVATE_WEBHOOK_HOSTS parses with `fromConfig`.
   */
  constructor(allowPrivate: boolean | string[] = false) {
    this.addresses = new OutboundAddressPolicy(allowPrivate);
  }

  static fromConfig(value: string | undefined): WebhookUrlPolicy {
    return new WebhookUrlPolicy(parseHostAllowList(value ?? ''));
  }

  /** Refuses a URL that is not http(s), carries credentials or points at a private IP literal. */
  checkUrl(raw: string): URL {
    try {
      const url = parseOutboundUrl(raw);
      const refusal = this.addresses.refusalForLiteral(url.hostname, portOf(url));
      if (refusal) throw refusal;
      return url;
    } catch (error) {
      throw asWebhookRefusal(error, raw);
    }
  }

  /** Resolves the host now and refuses it if any address is private (for the API, at subscription time). */
  async checkResolved(raw: string): Promise<void> {
    const url = this.checkUrl(raw);
    try {
      await this.addresses.check(url.hostname, portOf(url));
    } catch (error) {
      throw asWebhookRefusal(error, raw);
    }
  }
}

/** The policy's refusals as WebhookUrlRefusedError; anything else (a DNS failure) as it came. */
export function asWebhookRefusal(error: unknown, url: string): unknown {
  if (error instanceof AddressRefusedError) return new WebhookUrlRefusedError(url, error.message, error);
  if (error instanceof OutboundUrlError) return new WebhookUrlRefusedError(url, error.reason, error);
  return error;
}
