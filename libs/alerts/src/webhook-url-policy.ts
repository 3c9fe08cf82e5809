import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { WebhookUrlRefusedError } from './alert-errors';

/**
 * Webhook URLs must not reach into the operator's own network (SSRF): every address a host name
 * resolves to must be public unicast, unless the operator allowed that host. The check runs on the
 * addresses the connection actually uses (a custom DNS lookup), so a name that changes its answer
 * between check and connect (DNS rebinding) gains nothing.
 */
export class WebhookUrlPolicy {
  private readonly allowAll: boolean;
  private readonly allowed: Set<string>;

  /**
   * `allowPrivate`: true allows every private address; a list allows those hosts (`host` or
   * `host:port`); the config variable ALLOW_PRIVATE_WEBHOOK_HOSTS parses with `fromConfig`.
   */
  constructor(allowPrivate: boolean | string[] = false) {
    this.allowAll = allowPrivate === true;
    this.allowed = new Set(Array.isArray(allowPrivate) ? allowPrivate.map((h) => h.trim().toLowerCase()).filter(Boolean) : []);
  }

  static fromConfig(value: string | undefined): WebhookUrlPolicy {
    const v = (value ?? '').trim();
    return new WebhookUrlPolicy(v === 'true' ? true : v.split(','));
  }

  /** Whether a private address behind this URL is acceptable. */
  allowsPrivate(url: URL): boolean {
    if (this.allowAll) return true;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.allowed.has(host) || this.allowed.has(`${host}:${port}`);
  }

  /** Refuses a URL that is not http(s), carries credentials or points at a private IP literal. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlRefusedError(raw, 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefusedError(raw, 'only http and https');
    if (url.username || url.password) throw new WebhookUrlRefusedError(raw, 'credentials in the URL');
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(literal) && !isPublicAddress(literal) && !this.allowsPrivate(url)) {
      throw new WebhookUrlRefusedError(raw, `${literal} is a private or loopback address`);
    }
    return url;
  }

  /** Resolves the host now and refuses it if any address is private (for the API, at subscription time). */
  async checkResolved(raw: string): Promise<void> {
    const url = this.checkUrl(raw);
    await new Promise<void>((resolve, reject) =>
      this.lookupFor(url)(url.hostname.replace(/^\[|\]$/g, ''), { all: true }, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** A DNS lookup for http.request that fails when the host resolves to a refused address. */
  lookupFor(url: URL): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const refused = addresses.find((a) => !isPublicAddress(a.address));
        if (refused && !this.allowsPrivate(url)) {
          return callback(new WebhookUrlRefusedError(url.href, `${hostname} resolves to ${refused.address}, a private or loopback address`), '', 0);
        }
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}

/** Public unicast only: loopback, private, link-local, CGNAT, multicast, reserved and the like are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
