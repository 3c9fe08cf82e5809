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

const H16 = '[0-9A-Fa-f]{1,4}';
const IPV4_PART = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV6 = [
  `(?:${H16}:){7}${H16}`,
  `(?:${H16}:){1,7}:`,
  `(?:${H16}:){1,6}:${H16}`,
  `(?:${H16}:){1,5}(?::${H16}){1,2}`,
  `(?:${H16}:){1,4}(?::${H16}){1,3}`,
  `(?:${H16}:){1,3}(?::${H16}){1,4}`,
  `(?:${H16}:){1,2}(?::${H16}){1,5}`,
  `${H16}:(?::${H16}){1,6}`,
  `:(?:(?::${H16}){1,7}|:)`,
].join('|');
// A name's last label starts with a letter: WHATWG URL parsing reads a host ending in a number as
// an IPv4 address (and fails on one that is not).
const HOST_NAME = '(?:[A-Za-z0-9-]+\\.)*[A-Za-z][A-Za-z0-9-]*';
const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)';
// RFC 3986: a path segment's characters, and query and fragment (which may also hold / and ?).
const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const PATH_QUERY_FRAGMENT = `(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;

/**
 * An http(s) URL that `parseOutboundUrl` takes, as a regular expression (for request schemas and
 * the API's OpenAPI document): scheme, then a host name, an IPv4 address or a bracketed IPv6
 * address (no credentials), an optional port, and a path, query and fragment as RFC 3986 has them.
 * Stricter than WHATWG parsing, which also takes what no client should send (spaces, a port past 65535).
 */
export const HTTP_URL_PATTERN = `^[Hh][Tt][Tt][Pp][Ss]?://(?:${HOST_NAME}|(?:${IPV4_PART}\\.){3}${IPV4_PART}|\\[(?:${IPV6})\\])(?::${PORT})?${PATH_QUERY_FRAGMENT}$`;

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
