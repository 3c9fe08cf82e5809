import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { request, type Agent } from 'undici';
import {
  asksToWait,
  BodyTooLargeError,
  createOutboundAgent,
  DeadlineExceededError,
  findAddressRefusal,
  isRetriableStatus,
  OutboundAddressPolicy,
  OutboundUrlError,
  parseOutboundUrl,
  parseRetryAfter,
  readBoundedBody,
  withDeadline,
  type Resolver,
} from '@monitor/outbound-http';
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
  lookup?: Resolver;
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
 * conditional GET, total deadline, size cap, manual redirects, Retry-After, and the project's
 * outbound address policy (`@monitor/outbound-http`), enforced when each connection is made, so
 * every redirect hop and a rebinding name are checked too.
 */
export class FeedFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly agent: Agent;

  constructor(options: FeedFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.agent = createOutboundAgent(new OutboundAddressPolicy(options.allowPrivateHosts ?? false), { lookup: options.lookup });
  }

  async fetch(url: string, options: FetchOptions = {}): Promise<FetchResult> {
    try {
      return await withDeadline(this.timeoutMs, (signal) => this.follow(url, options, signal));
    } catch (error) {
      throw this.classify(error, url);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async follow(originalUrl: string, options: FetchOptions, signal: AbortSignal): Promise<FetchResult> {
    let current = parseOutboundUrl(originalUrl);
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        'user-agent': this.userAgent,
        accept: options.accept ?? DEFAULT_ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      // Validators belong to the URL they came from; a redirect target is fetched unconditionally.
      if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
      if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;

      const response = await request(current, { method: 'GET', headers, dispatcher: this.agent, signal, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
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
        current = parseOutboundUrl(new URL(location, current).toString());
        continue;
      }
      const validators = { etag: header('etag'), lastModified: header('last-modified') };
      if (status === 304) {
        await response.body.dump();
        return { status: 'not-modified', url: originalUrl, finalUrl: current.toString(), httpStatus: 304, ...validators };
      }
      if (asksToWait(status)) {
        await response.body.dump();
        const retryAfterMs = parseRetryAfter(header('retry-after'));
        const wait = retryAfterMs !== undefined ? `; Retry-After ${Math.ceil(retryAfterMs / 1000)}s` : '';
        throw new FetchRateLimitedError(`HTTP ${status} from ${current}${wait}`, retryAfterMs, { url: originalUrl, status });
      }
      if (status < 200 || status >= 300) {
        await response.body.dump();
        throw new FetchError('FETCH_HTTP_STATUS', `HTTP ${status} from ${current}`, { retriable: isRetriableStatus(status), url: originalUrl, status });
      }

      const contentType = header('content-type');
      const raw = await readBoundedBody(response.body, this.maxBytes, response.headers['content-length']);
      const bytes = this.decompress(raw, header('content-encoding'), originalUrl);
      const decoded = decodeBody(bytes, contentType);
      return { status: 'ok', url: originalUrl, finalUrl: current.toString(), httpStatus: status, contentType, bytes, text: decoded.text, charset: decoded.charset, ...validators };
    }
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

  /** Maps the outbound policy's errors and undici's to the FETCH_* codes a source's health shows. */
  private classify(error: unknown, url: string): FetchError {
    if (error instanceof FetchError) return error;
    const timeout = () => new FetchError('FETCH_TIMEOUT', `no complete answer from ${url} within ${this.timeoutMs} ms`, { retriable: true, url, cause: error });
    if (error instanceof DeadlineExceededError) return timeout();
    if (error instanceof OutboundUrlError) return new FetchError('FETCH_BAD_URL', `not fetched: ${error.message}`, { cause: error });
    if (error instanceof BodyTooLargeError) return new FetchError('FETCH_TOO_LARGE', `${error.message} (${url})`, { url, cause: error });
    const refused = findAddressRefusal(error);
    if (refused) return new FetchError('FETCH_ADDRESS_REFUSED', `refused to fetch ${url}: ${refused.message} (allow it with allowPrivateHosts)`, { url, cause: error });
    const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = err.code ?? err.cause?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return timeout();
    const message = err.cause?.message && err.message === 'fetch failed' ? err.cause.message : err.message;
    return new FetchError('FETCH_NETWORK', `${message || String(error)} (${url})`, { retriable: true, url, cause: error });
  }
}
