import normalizeUrl from 'normalize-url';
import { articleIdFromGuid, articleIdFromUrl } from '@monitor/contracts';

/**
 * Query parameters that say where a reader came from, not what they read. Two links to the same
 * article that differ only in these must give the same id.
 */
const TRACKING_PARAMS: Array<RegExp | string> = [
  /^utm_\w+$/i, /^mtm_\w+$/i, /^pk_\w+$/i, 'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'mc_cid', 'mc_eid',
  'igshid', 'ref_src', '_hsenc', '_hsmi',
];

/**
 * The form of a URL used for ids: lower-case host, no default port, no fragment, no tracking
 * parameters, remaining parameters sorted, no trailing slash (except the root), repeated slashes
 * collapsed. The scheme and a 'www.' prefix are kept: some sites serve different things with and
 * without them. normalize-url is ESM-only; Node 24 loads it from this CommonJS build with require().
 */
export function canonicalUrl(url: string): string {
  return normalizeUrl(url.trim(), {
    stripHash: true,
    stripWWW: false,
    removeQueryParameters: TRACKING_PARAMS,
    sortQueryParameters: true,
    removeTrailingSlash: true,
    removeSingleSlash: true,
    removeDirectoryIndex: false,
    stripTextFragment: true,
    normalizeProtocol: true,
    defaultProtocol: 'https',
  });
}

/** The article id of a feed or listing item: from its canonical link, else from source and guid. */
export function itemArticleId(sourceId: string, item: { link?: string; guid?: string }): string | undefined {
  if (item.link) {
    try {
      return articleIdFromUrl(canonicalUrl(item.link));
    } catch {
      // An unparseable link falls through to the guid.
    }
  }
  return item.guid ? articleIdFromGuid(sourceId, item.guid) : undefined;
}
