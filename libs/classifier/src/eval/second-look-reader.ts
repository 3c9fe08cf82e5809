/**
 * The classifier with its second look, for the evaluations, which read articles one at a time and
 * synchronously: the revised results are computed up front, the embedder asked in batches.
 */
import type { ClassificationResult, TopicClassifier } from '../article-classifier';
import type { SecondLook } from '../second-look';
import type { ArticleReader, LabelledArticle } from './classifier-evaluation';
import { SECOND_LOOK_BASELINE_FILE, evaluateByLanguage, readBaseline, regressions } from './corpus-evaluation';
import { loadCorpus } from './labelled-corpus';

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

/**
 * The held-out part read by the rules with `look`, against the second look's recorded floor: the
 * groups that fell more than ALLOWED_DROP below it, as sentences (none: the guard holds).
 */
export async function secondLookRegressions(classifier: TopicClassifier, look: SecondLook): Promise<string[]> {
  const { heldout } = loadCorpus();
  const grouped = evaluateByLanguage(await readWithSecondLook(classifier, look, heldout), heldout);
  return regressions(grouped, readBaseline(SECOND_LOOK_BASELINE_FILE));
}
