import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { MonitorError } from '@monitor/contracts';

/** Name resolution as `dns.lookup` does it; replaceable so tests can play a rebinding resolver. */
export type Resolver = typeof dnsLookup;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Public unicast only: ipaddr.js names every special-purpose range (loopback, private, linkLocal,
 * uniqueLocal, carrierGradeNat, multicast, reserved, ...), so anything it does not call `unicast`
 * is refused. An IPv4-mapped IPv6 address is judged by the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** A connection refused because its address is not public and the operator did not allow the host. */
export class AddressRefusedError extends MonitorError {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super('ADDRESS_REFUSED', host === address ? `${address} is a private or loopback address` : `${host} resolves to ${address}, a private or loopback address`);
  }
}

/** The refusal somewhere in an error's cause chain: undici and net wrap what the connector raised. */
export function findAddressRefusal(error: unknown): AddressRefusedError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AddressRefusedError) return e;
  }
  return undefined;
}

/** `[::1]` → `::1`, lower case: the form allow-list entries and address checks compare. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * The SSRF rule for every connection the project opens to others' servers (feeds, article pages,
 * webhooks, SMTP): each address the host resolves to must be public unicast, unless the operator's
 * allow-list names the host (`host`) or the host and port (`host:port`). The allow-list is what
 * `parseHostAllowList` (libs/config) makes of ALLOW_PRIVATE_FEED_HOSTS or ALLOW_PRIVATE_WEBHOOK_HOSTS.
 *
 * The check belongs at connect time (see `outbound-agent.ts`): checking a name and then letting the
 * client resolve it again would let a name that changes its answer in between (DNS rebinding) through.
 */
export class OutboundAddressPolicy {
  private readonly allowAll: boolean;
  private readonly allowed: ReadonlySet<string>;

  constructor(allowPrivate: boolean | readonly string[] = false) {
    this.allowAll = allowPrivate === true;
    this.allowed = new Set(Array.isArray(allowPrivate) ? allowPrivate.map((h) => h.trim().toLowerCase()).filter(Boolean) : []);
  }

  /** Whether the operator allowed a non-public address behind this host and port. */
  allowsPrivate(hostname: string, port: string | number): boolean {
    if (this.allowAll) return true;
    const host = bareHost(hostname);
    return this.allowed.has(host) || this.allowed.has(`${host}:${port}`);
  }

  /** The refusal for an IP literal, which no resolver sees; undefined when it may be connected to. */
  refusalForLiteral(hostname: string, port: string | number): AddressRefusedError | undefined {
    const host = bareHost(hostname);
    if (!isIP(host) || isPublicAddress(host) || this.allowsPrivate(host, port)) return undefined;
    return new AddressRefusedError(host, host);
  }

  /**
   * A `lookup` for net/tls/undici that resolves every address and refuses the connection when any
   * is not public. It knows no port, so callers decide `allowsPrivate(host, port)` before using it.
   */
  guardedLookup(resolve: Resolver = dnsLookup) {
    return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
      resolve(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, options.all ? [] : '', undefined);
        const list = addresses as LookupAddress[];
        const bad = list.find((entry) => !isPublicAddress(entry.address));
        if (bad || !list.length) return callback(new AddressRefusedError(hostname, bad?.address ?? 'no address') as NodeJS.ErrnoException, options.all ? [] : '', undefined);
        if (options.all) return callback(null, list);
        callback(null, list[0].address, list[0].family);
      });
    };
  }

  /**
   * Resolves the host now and rejects with AddressRefusedError when the connection would be
   * refused; answers the addresses it may use. For checks ahead of time (a webhook URL when a
   * subscription is saved) and for clients with no lookup hook (SMTP, see `guarded-socket.ts`).
   */
  async check(hostname: string, port: string | number, resolve: Resolver = dnsLookup): Promise<LookupAddress[]> {
    const host = bareHost(hostname);
    const literal = isIP(host);
    if (literal) {
      const refusal = this.refusalForLiteral(host, port);
      if (refusal) throw refusal;
      return [{ address: host, family: literal }];
    }
    const lookup = this.allowsPrivate(host, port) ? resolve : this.guardedLookup(resolve);
    return new Promise((done, fail) =>
      lookup(host, { all: true }, (error: NodeJS.ErrnoException | null, addresses: string | LookupAddress[]) =>
        error ? fail(error) : done(addresses as LookupAddress[]),
      ),
    );
  }
}
