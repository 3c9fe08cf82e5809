/**
 * The classifier with its second look, for the evaluations, which read articles one at a time and
 * synchronously: the revised results are computed up front, the embedder asked in batches.
 */
import type { ClassificationResult, TopicClassifier } from '../article-classifier';
import type { SecondLook } from '../second-look';
import type { ArticleReader, LabelledArticle } from './classifier-evaluation';

const BATCH = 64;
const keyOf = (title: string, text: string): string => `${title}\u0000${text}`;

export async function readWithSecondLook(classifier: TopicClassifier, look: SecondLook, articles: readonly LabelledArticle[]): Promise<ArticleReader> {
  const revised = new Map<string, ClassificationResult>();
  for (let i = 0; i < articles.length; i += BATCH) {
    const inputs = articles.slice(i, i + BATCH).map((a) => ({ title: a.title, text: a.text, lang: a.lang }));
    const results = await look.reviseAll(classifier, inputs, inputs.map((input) => classifier.classify(input)));
    inputs.forEach((input, k) => revised.set(keyOf(input.title, input.text), results[k]));
  }
  return {
    classify: (input) => revised.get(keyOf(input.title, input.text)) ?? classifier.classify(input),
    scoreTopic: (title, text, id) => classifier.scoreTopic(title, text, id),
  };
}
