import { createHash } from 'node:crypto';

/**
 * An article's id is derived, never assigned: the same canonical URL (or, for items without a
 * usable link, the same source and guid) always gives the same id. That is what makes re-polling,
 * redelivery and the same story in two feeds collapse into one document and one alert.
 */
export function articleIdFromUrl(canonicalUrl: string): string {
  return 'a' + createHash('sha256').update(`url:${canonicalUrl}`).digest('hex').slice(0, 31);
}

export function articleIdFromGuid(sourceId: string, guid: string): string {
  return 'a' + createHash('sha256').update(`guid:${sourceId}:${guid}`).digest('hex').slice(0, 31);
}

export const ARTICLE_ID_PATTERN = /^a[0-9a-f]{31}$/;
