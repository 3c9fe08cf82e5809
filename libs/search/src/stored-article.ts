import { Checked, StoredArticle, parseStoredArticle } from '@monitor/contracts';
import { BulkItemFailure, BulkResult } from './search.port';

/**
 * The public write of both stores: each article is checked here, so that a bad item fails alone
 * with the same ValidationError (never retriable) in embedded and stack mode, and `write` (the
 * store's trusted path, also used by the indexer for articles checked at the bus) gets the rest.
 */
export async function upsertCheckingEach(
  articles: readonly unknown[],
  write: (checked: Checked<StoredArticle>[]) => Promise<BulkResult>,
): Promise<BulkResult> {
  const checked: Checked<StoredArticle>[] = [];
  const failed: BulkItemFailure[] = [];
  for (const item of articles) {
    try {
      checked.push(parseStoredArticle(item));
    } catch (error) {
      failed.push({ id: idOf(item), error: error as Error });
    }
  }
  const result = checked.length > 0 ? await write(checked) : { written: [], failed: [] };
  return { written: result.written, failed: [...failed, ...result.failed] };
}

/** The id to report for an item that may not even be an object. */
export function idOf(value: unknown): string {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '(no id)';
}

/** The date an article is filtered, sorted and counted by: published, else fetched (UTC ISO). */
export function effectiveDate(article: Pick<StoredArticle, 'publishedAt' | 'fetchedAt'>): string {
  return new Date(article.publishedAt ?? article.fetchedAt).toISOString();
}
