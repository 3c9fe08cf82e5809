import { ApiKeyRejectedError } from './alert-errors';

type Headers = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function bearerKey(headers: Headers): string | undefined {
  const auth = first(headers['authorization']);
  return auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
}

function headerKey(headers: Headers): string | undefined {
  return first(headers['x-api-key'])?.trim() || undefined;
}

/** Pulls the key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function apiKeyFromHeaders(headers: Headers): string | undefined {
  return bearerKey(headers) ?? headerKey(headers);
}

/**
 * The one key a request presents: as a bearer token, in X-API-Key, or (where the route allows it)
 * in the URL. Every place that holds something counts, an empty or malformed one too: two
 * different keys in one request are refused (401) rather than one of them picked, so a request
 * never passes on one key while it also carries another that is wrong. Authorization headers of
 * other schemes (Basic) are not API keys and are left alone.
 */
export function apiKeyOfRequest(headers: Headers, urlKey?: string): string | undefined {
  const presented: string[] = [];
  const auth = first(headers['authorization'])?.trim();
  if (auth !== undefined && /^bearer\b/i.test(auth)) presented.push(bearerKey(headers) ?? '');
  const header = first(headers['x-api-key']);
  if (header !== undefined) presented.push(header.trim());
  if (urlKey !== undefined) presented.push(urlKey.trim());
  if (new Set(presented).size > 1) throw new ApiKeyRejectedError('two different API keys in one request; send one');
  return presented[0] || undefined;
}
