import { Agent, buildConnector } from 'undici';
import { portOf } from './outbound-url';
import { bareHost, OutboundAddressPolicy, type Resolver } from './ssrf-guard';

export interface OutboundAgentOptions {
  /** Resolver for host names; the addresses it answers are the ones checked and connected to. */
  lookup?: Resolver;
  /** Most connections per origin. */
  connections?: number;
}

/**
 * An undici Agent whose every connection obeys the address policy: the check runs inside the
 * connector, on the addresses the socket is about to use, so it holds for the first request, for
 * every redirect hop (a new origin means a new connection) and against DNS rebinding. undici's
 * own connector does the TCP/TLS work; this only decides which lookup it gets, or refuses.
 *
 * HTTP/1.1 only, as undici 7 did by default: undici 8 would offer HTTP/2 in TLS ALPN, and the
 * per-origin connection bound, the deadlines and the body limit are written and tested for one
 * request per connection at a time.
 */
export function createOutboundAgent(policy: OutboundAddressPolicy, options: OutboundAgentOptions = {}): Agent {
  const open = buildConnector({ allowH2: false, ...(options.lookup ? { lookup: options.lookup } : {}) });
  const guarded = buildConnector({ allowH2: false, lookup: policy.guardedLookup(options.lookup) });
  const connect: buildConnector.connector = (target, callback) => {
    const host = bareHost(target.hostname);
    const port = portOf(target);
    if (policy.allowsPrivate(host, port)) return open(target, callback);
    // net.connect skips the lookup for an IP literal, so the guarded lookup never sees one.
    const refusal = policy.refusalForLiteral(host, port);
    if (refusal) return callback(refusal, null);
    return guarded(target, callback);
  };
  return new Agent({ connect, allowH2: false, connections: options.connections ?? 4 });
}
