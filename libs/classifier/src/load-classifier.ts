import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TopicClassifier } from './article-classifier';
import { DEFAULT_TAXONOMY_PATH, loadTaxonomy } from './taxonomy-loader';
import { SecondOpinion, SecondOpinionError, parseSecondOpinion } from './second-opinion';
import type { Taxonomy } from './taxonomy-schema';

/** The learned second opinion's file name, looked for beside the taxonomy file. */
export const SECOND_OPINION_FILE = 'second-opinion.json';

export interface LoadClassifierOptions {
  /**
   * The second-opinion model: a path, or false for the rules alone. By default the file
   * second-opinion.json beside the taxonomy, used when it is there and was trained on this
   * taxonomy version.
   */
  secondOpinion?: string | false;
  /** Where the reason goes when a model is there but cannot be used (default: process.emitWarning). */
  warn?: (message: string) => void;
}

const emitWarning = (message: string): void => process.emitWarning(message, { code: 'SECOND_OPINION_OFF' });

/**
 * A classifier for the taxonomy file at `path` (a new version, for re-classification). A model
 * file that is not a model fails the load (SecondOpinionError, SECOND_OPINION_INVALID); a model of
 * another taxonomy version is left out with a warning, and the rules decide alone.
 */
export function loadClassifier(path: string, options: LoadClassifierOptions = {}): TopicClassifier {
  const taxonomy = loadTaxonomy(path);
  if (options.secondOpinion === false) return new TopicClassifier(taxonomy, { secondOpinionNote: 'off: rules alone, as asked' });
  const file = options.secondOpinion ?? join(dirname(path), SECOND_OPINION_FILE);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (cause) {
    // No model beside the taxonomy is the normal case of a custom taxonomy: the rules decide alone.
    if (options.secondOpinion === undefined && (cause as NodeJS.ErrnoException).code === 'ENOENT') {
      return new TopicClassifier(taxonomy, { secondOpinionNote: `off: no model at ${file}` });
    }
    throw new SecondOpinionError(file, `cannot read: ${(cause as Error).message}`, 'SECOND_OPINION_INVALID', cause);
  }
  const opinion = bind(parseSecondOpinion(source, file), taxonomy, file, options.warn ?? emitWarning);
  if (!opinion) return new TopicClassifier(taxonomy, { secondOpinionNote: `off: the model at ${file} is for another taxonomy (retrain with npm run train:classifier)` });
  const { training } = opinion.model;
  return new TopicClassifier(taxonomy, {
    secondOpinion: opinion,
    secondOpinionNote: `on: ${file}, trained on taxonomy ${opinion.model.taxonomyVersion}, ${training.articles} dev articles, seed ${training.seed}`,
  });
}

function bind(model: ReturnType<typeof parseSecondOpinion>, taxonomy: Taxonomy, file: string, warn: (message: string) => void): SecondOpinion | null {
  try {
    return new SecondOpinion(model, { version: taxonomy.version, topicIds: taxonomy.topics.map((t) => t.id) }, file);
  } catch (error) {
    if (!(error instanceof SecondOpinionError) || error.code !== 'SECOND_OPINION_STALE') throw error;
    warn(`second opinion off, rules alone: ${error.message}`);
    return null;
  }
}

/** A classifier for the taxonomy shipped in libs/classifier/taxonomy/taxonomy.yaml (and its second opinion, when current). */
export function loadDefaultClassifier(options: LoadClassifierOptions = {}): TopicClassifier {
  return loadClassifier(DEFAULT_TAXONOMY_PATH, options);
}
