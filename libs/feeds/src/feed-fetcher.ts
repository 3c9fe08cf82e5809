import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { Agent, request, type Dispatcher } from 'undici';
import { decodeBody } from './charset-decoder';
import { FetchError, FetchRateLimitedError } from './feed-errors';

export const DEFAULT_USER_AGENT =
  'drug-control-monitor/0.1 (+https://github.com/drug-control-monitor; open-source news monitor; polite polling)';

export interface FeedFetcherOptions {
  /** Deadline for the whole exchange, headers and body together (a slow drip is cut off). */
  timeoutMs?: number;
  /** Largest body accepted, compressed and decompressed. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /**
   * Loopback, private, link-local and unique-local addresses are refused (SSRF). `true` allows
   * them all; a list allows the named `host` or `host:port` entries only (the demo's own server).
   */
  allowPrivateHosts?: boolean | string[];
  /** Name resolution, replaceable in tests; the address it returns is what gets checked. */
  lookup?: typeof dnsLookup;
}

export interface ConditionalState {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchOptions extends ConditionalState {
  accept?: string;
}

export type FetchResult =
  | { status: 'not-modified'; url: string; finalUrl: string; httpStatus: 304; etag?: string; lastModified?: string }
  | {
      status: 'ok';
      url: string;
      /** The URL after redirects: relative links in the body resolve against it. */
      finalUrl: string;
      httpStatus: number;
      contentType?: string;
      bytes: Buffer;
      /** The body decoded by BOM, HTTP charset, document declaration or detection. */
      text: string;
      charset: string;
      etag?: string;
      lastModified?: string;
    };

const DEFAULT_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5';

/**
 * HTTP GET of a source URL with the limits a collector needs against real and hostile servers:
 * conditional GET, total deadline, size cap, manual redirects (each hop re-checked), Retry-After,
 * and an SSRF guard that checks the address actually connected to (a custom `lookup` in undici's
 * connector), so a name that resolves to a public address at check time and a private one at
 * connect time (DNS rebinding) is still refused.
 */
export class FeedFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly allowAll: boolean;
  private readonly allowList: Set<string>;
  private readonly guarded: Agent;
  private readonly open: Agent;

  constructor(options: FeedFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.allowAll = options.allowPrivateHosts === true;
    this.allowList = new Set(Array.isArray(options.allowPrivateHosts) ? options.allowPrivateHosts.map((h) => h.toLowerCase()) : []);
    const resolve = options.lookup ?? dnsLookup;
    this.guarded = new Agent({ connect: { lookup: guardedLookup(resolve) }, connections: 4 });
    this.open = new Agent({ connect: { lookup: resolve }, connections: 4 });
  }

  async fetch(url: string, options: FetchOptions = {}): Promise<FetchResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      return await this.follow(url, options, controller.signal);
    } catch (error) {
      throw this.classify(error, url, controller.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.guarded.close(), this.open.close()]);
  }

  private async follow(originalUrl: string, options: FetchOptions, signal: AbortSignal): Promise<FetchResult> {
    let current = parseHttpUrl(originalUrl);
    for (let hop = 0; ; hop++) {
      const dispatcher = this.dispatcherFor(current);
      const headers: Record<string, string> = {
        'user-agent': this.userAgent,
        accept: options.accept ?? DEFAULT_ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      // Validators belong to the URL they came from; a redirect target is fetched unconditionally.
      if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
      if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;

      const response = await request(current, { method: 'GET', headers, dispatcher, signal, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
      const status = response.statusCode;
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };

      if (status >= 300 && status < 400 && status !== 304) {
        await response.body.dump();
        const location = header('location');
        if (!location) throw new FetchError('FETCH_HTTP_STATUS', `HTTP ${status} without a Location header from ${current}`, { url: originalUrl, status });
        if (hop >= this.maxRedirects) {
          throw new FetchError('FETCH_TOO_MANY_REDIRECTS', `more than ${this.maxRedirects} redirects starting at ${originalUrl} (last: ${current})`, { url: originalUrl, status });
        }
        current = parseHttpUrl(new URL(location, current).toString());
        continue;
      }
      const validators = { etag: header('etag'), lastModified: header('last-modified') };
      if (status === 304) {
        await response.body.dump();
        return { status: 'not-modified', url: originalUrl, finalUrl: current.toString(), httpStatus: 304, ...validators };
      }
      if (status === 429 || status === 503) {
        await response.body.dump();
        const retryAfterMs = parseRetryAfter(header('retry-after'));
        const wait = retryAfterMs !== undefined ? `; Retry-After ${Math.ceil(retryAfterMs / 1000)}s` : '';
        throw new FetchRateLimitedError(`HTTP ${status} from ${current}${wait}`, retryAfterMs, { url: originalUrl, status });
      }
      if (status < 200 || status >= 300) {
        await response.body.dump();
        const retriable = status >= 500 || status === 408 || status === 425;
        throw new FetchError('FETCH_HTTP_STATUS', `HTTP ${status} from ${current}`, { retriable, url: originalUrl, status });
      }

      const contentType = header('content-type');
      const raw = await this.readBody(response, originalUrl);
      const bytes = this.decompress(raw, header('content-encoding'), originalUrl);
      const decoded = decodeBody(bytes, contentType);
      return { status: 'ok', url: originalUrl, finalUrl: current.toString(), httpStatus: status, contentType, bytes, text: decoded.text, charset: decoded.charset, ...validators };
    }
  }

  /** Picks the SSRF-guarded agent unless the operator allowed this host; IP literals are checked here because no lookup runs for them. */
  private dispatcherFor(url: URL): Dispatcher {
    if (this.allowAll) return this.open;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    if (this.allowList.has(host) || this.allowList.has(`${host}:${port}`)) return this.open;
    if (isIP(host) && !isPublicAddress(host)) {
      throw new FetchError('FETCH_ADDRESS_REFUSED', `refused to fetch ${url}: ${host} is not a public address (allow it with allowPrivateHosts)`, { url: url.toString() });
    }
    return this.guarded;
  }

  private async readBody(response: Dispatcher.ResponseData, url: string): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      response.body.destroy();
      throw new FetchError('FETCH_TOO_LARGE', `body of ${url} is ${declared} bytes, over the limit of ${this.maxBytes}`, { url });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > this.maxBytes) {
        response.body.destroy();
        throw new FetchError('FETCH_TOO_LARGE', `body of ${url} exceeded the limit of ${this.maxBytes} bytes`, { url });
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private decompress(bytes: Buffer, encoding: string | undefined, url: string): Buffer {
    const kind = (encoding ?? '').trim().toLowerCase();
    if (!kind || kind === 'identity' || !bytes.length) return bytes;
    // maxOutputLength bounds a decompression bomb the same way maxBytes bounds the wire.
    const limits = { maxOutputLength: this.maxBytes };
    try {
      if (kind === 'gzip' || kind === 'x-gzip') return gunzipSync(bytes, limits);
      if (kind === 'deflate') return inflateSync(bytes, limits);
      if (kind === 'br') return brotliDecompressSync(bytes, limits);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FetchError('FETCH_TOO_LARGE', `decompressed body of ${url} exceeded the limit of ${this.maxBytes} bytes`, { url, cause: error });
      }
      throw new FetchError('FETCH_BAD_ENCODING', `could not decode ${kind} body of ${url}: ${(error as Error).message}`, { url, cause: error });
    }
    return bytes;
  }

  private classify(error: unknown, url: string, timedOut: boolean): FetchError {
    if (error instanceof FetchError) return error;
    if (timedOut) return new FetchError('FETCH_TIMEOUT', `no complete answer from ${url} within ${this.timeoutMs} ms`, { retriable: true, url, cause: error });
    const refused = findRefusal(error);
    if (refused) return new FetchError('FETCH_ADDRESS_REFUSED', refused.message, { url, cause: error });
    const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = err.code ?? err.cause?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new FetchError('FETCH_TIMEOUT', `no complete answer from ${url} within ${this.timeoutMs} ms`, { retriable: true, url, cause: error });
    }
    const message = err.cause?.message && err.message === 'fetch failed' ? err.cause.message : err.message;
    return new FetchError('FETCH_NETWORK', `${message || String(error)} (${url})`, { retriable: true, url, cause: error });
  }
}

class AddressRefusedError extends Error {
  readonly code = 'FETCH_ADDRESS_REFUSED';
}

function findRefusal(error: unknown): AddressRefusedError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AddressRefusedError) return e;
  }
  return undefined;
}

/** Public unicast only: ipaddr.js names every special-purpose range (loopback, private, linkLocal, uniqueLocal, ...). */
export function isPublicAddress(address: string): boolean {
  try {
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return parsed.range() === 'unicast';
  } catch {
    return false;
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Wraps name resolution so every address a connection would use is checked right before connecting. */
function guardedLookup(resolve: typeof dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, options.all ? [] : '', undefined);
      const list = addresses as LookupAddress[];
      const bad = list.find((entry) => !isPublicAddress(entry.address));
      if (bad || !list.length) {
        const refusal = new AddressRefusedError(`refused to connect to ${hostname}: it resolves to ${bad?.address ?? 'no address'}, which is not a public address (allow it with allowPrivateHosts)`);
        return callback(refusal as NodeJS.ErrnoException, options.all ? [] : '', undefined);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

function parseHttpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FetchError('FETCH_BAD_URL', `not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('FETCH_BAD_URL', `only http and https are fetched, not ${url.protocol} (${value})`);
  if (url.username || url.password) throw new FetchError('FETCH_BAD_URL', `URLs with credentials are not fetched (${url.host})`);
  return url;
}

/** Retry-After is either delay seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
