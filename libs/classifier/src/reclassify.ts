import type { StoredArticle, TopicMatch } from '@monitor/contracts';
import type { TopicClassifier } from './article-classifier';
import { classifyWithSecondLook, type SecondLook } from './second-look';

/** What re-classification reads of a stored article. */
export type ReclassifiableArticle = Pick<StoredArticle, 'id' | 'title' | 'text' | 'taxonomyVersion' | 'topics'>;

export interface Reclassified {
  id: string;
  taxonomyVersion: string;
  topics: TopicMatch[];
  /** Topic ids the new version adds and removes; both empty when only scores or evidence moved. */
  added: string[];
  removed: string[];
}

/**
 * Runs `classifier` (usually a new taxonomy version) over stored articles and yields one result per
 * article whose version or topic set differs, so the caller can update topics in place. Articles
 * already classified by this version with the same topic ids are skipped. With a second look, its
 * topics count as the classifier's: the same article gets the same topics as when it came in.
 */
export async function* reclassify(
  articles: AsyncIterable<ReclassifiableArticle> | Iterable<ReclassifiableArticle>,
  classifier: TopicClassifier,
  look: SecondLook | null = null,
): AsyncGenerator<Reclassified> {
  for await (const article of articles) {
    const { topics } = await classifyWithSecondLook(classifier, look, { title: article.title, text: article.text });
    const before = new Set(article.topics.map((t) => t.id));
    const after = new Set(topics.map((t) => t.id));
    const added = [...after].filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.has(id));
    if (article.taxonomyVersion === classifier.taxonomyVersion && added.length === 0 && removed.length === 0) continue;
    yield { id: article.id, taxonomyVersion: classifier.taxonomyVersion, topics, added, removed };
  }
}
