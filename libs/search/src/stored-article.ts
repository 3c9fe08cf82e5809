import { ClassifiedArticleSchema, validationErrorFromZod } from '@monitor/contracts';
import { StoredArticle } from './search.port';

const StoredArticleSchema = ClassifiedArticleSchema.omit({ schema: true });

/**
 * Checks one article of a bulk before either adapter writes it, so that a bad item fails alone,
 * with the same ValidationError (never retriable) in embedded and stack mode.
 */
export function validateStoredArticle(value: unknown): StoredArticle {
  const result = StoredArticleSchema.safeParse(value);
  if (!result.success) throw validationErrorFromZod(result.error, { context: 'article' });
  return result.data;
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
