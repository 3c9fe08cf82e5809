import { TopicClassifier } from './article-classifier';
import { DEFAULT_TAXONOMY_PATH, loadTaxonomy } from './taxonomy-loader';

/** A classifier for the taxonomy file at `path` (a new version, for re-classification). */
export function loadClassifier(path: string): TopicClassifier {
  return new TopicClassifier(loadTaxonomy(path));
}

/** A classifier for the taxonomy shipped in libs/classifier/taxonomy/taxonomy.yaml. */
export function loadDefaultClassifier(): TopicClassifier {
  return loadClassifier(DEFAULT_TAXONOMY_PATH);
}
