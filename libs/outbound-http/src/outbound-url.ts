import { MonitorError } from '@monitor/contracts';

/** A URL the project will not request: not a URL, not http(s), or carrying credentials. */
export class OutboundUrlError extends MonitorError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super('OUTBOUND_URL_REFUSED', `${reason}: ${url}`);
  }
}

/**
 * Parses a URL the project is about to request. Only http and https: other schemes (file:, ftp:,
 * gopher:) reach places an HTTP policy cannot guard. Credentials in a URL are refused because
 * they would be sent to whatever host a redirect names and end up in logs and health reports.
 */
export function parseOutboundUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OutboundUrlError(value, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundUrlError(value, `only http and https, not ${url.protocol.slice(0, -1)}`);
  // The error names the origin only: it ends up in logs and health reports, the password must not.
  if (url.username || url.password) throw new OutboundUrlError(url.origin, 'credentials in the URL');
  return url;
}

/** The port a connection to this URL (or undici connector target) uses, for `host:port` allow-list entries. */
export function portOf(target: { port: string; protocol: string }): string {
  return target.port || (target.protocol === 'https:' ? '443' : '80');
}
