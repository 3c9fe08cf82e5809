import type { LookupAddress, LookupOptions } from 'node:dns';
import { connect, type Socket } from 'node:net';
import { OutboundAddressPolicy, type Resolver } from './ssrf-guard';

/**
 * A plain TCP connection to `host:port` under the address policy, for clients that take a ready
 * socket instead of a lookup hook (nodemailer's `getSocket`). The host is resolved and checked
 * once, and the socket may only use those checked addresses (tried in turn, as net does for a
 * name), so nothing is resolved again between the check and the connection.
 */
export async function connectGuarded(policy: OutboundAddressPolicy, host: string, port: number, options: { lookup?: Resolver; timeoutMs?: number } = {}): Promise<Socket> {
  const checked = await policy.check(host, port, options.lookup);
  const lookup = (_name: string, lookupOptions: LookupOptions, callback: (error: null, address: string | LookupAddress[], family?: number) => void) =>
    lookupOptions.all ? callback(null, checked) : callback(null, checked[0].address, checked[0].family);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, lookup: lookup as never, autoSelectFamily: checked.length > 1, timeout: options.timeoutMs });
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('timeout', () => socket.destroy(Object.assign(new Error(`no connection to ${host}:${port} within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    socket.once('error', reject);
  });
}
