import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TAXONOMY_PATH } from './taxonomy-loader';
import { SECOND_OPINION_FILE, loadClassifier } from './load-classifier';
import { SecondOpinionError } from './second-opinion';
import { DEFAULT_TRAINING, readExamples, trainModel } from './eval/second-opinion-training';
import { loadCorpus } from './eval/labelled-corpus';

/** A directory holding the shipped taxonomy and, when given, a model file beside it. */
function taxonomyDir(model?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'taxonomy-'));
  copyFileSync(DEFAULT_TAXONOMY_PATH, join(dir, 'taxonomy.yaml'));
  if (model !== undefined) writeFileSync(join(dir, SECOND_OPINION_FILE), model);
  return join(dir, 'taxonomy.yaml');
}

describe('loading the classifier with its second opinion', () => {
  const rules = loadClassifier(DEFAULT_TAXONOMY_PATH, { secondOpinion: false });
  const version = rules.taxonomyVersion;
  // The shipped taxonomy carries no model (cross-validation on the dev part found none that helps:
  // see the taxonomy's CHANGELOG), so one is trained here, on a slice of the dev part.
  const model = trainModel(readExamples(rules, loadCorpus().dev.slice(0, 240), DEFAULT_TRAINING.ngrams), rules.taxonomy, DEFAULT_TRAINING);

  it('uses a model trained on the taxonomy beside it', () => {
    const warnings: string[] = [];
    const classifier = loadClassifier(taxonomyDir(JSON.stringify(model)), { warn: (m) => warnings.push(m) });
    expect(classifier.secondOpinion).not.toBeNull();
    expect(classifier.secondOpinionNote).toMatch(/^on: .*second-opinion\.json, trained on taxonomy /);
    expect(warnings).toEqual([]);
  });

  it('ships the taxonomy without a model: the rules alone classify', () => {
    const classifier = loadClassifier(DEFAULT_TAXONOMY_PATH);
    expect(classifier.secondOpinion).toBeNull();
    expect(classifier.secondOpinionNote).toMatch(/^off: no model at /);
  });

  it('runs on the rules alone, quietly, when there is no model beside the taxonomy', () => {
    const warnings: string[] = [];
    const classifier = loadClassifier(taxonomyDir(), { warn: (m) => warnings.push(m) });
    expect(classifier.secondOpinion).toBeNull();
    expect(classifier.secondOpinionNote).toMatch(/^off: no model at .*second-opinion\.json$/);
    expect(warnings).toEqual([]);
  });

  it('ignores a model of another taxonomy version, with a warning naming both', () => {
    const warnings: string[] = [];
    const path = taxonomyDir(JSON.stringify({ ...model, taxonomyVersion: 'older' }));
    const classifier = loadClassifier(path, { warn: (m) => warnings.push(m) });
    expect(classifier.secondOpinion).toBeNull();
    expect(warnings).toEqual([expect.stringContaining(`trained on taxonomy older, but the taxonomy is ${version}: retrain with npm run train:classifier`)]);
    expect(classifier.secondOpinionNote).toMatch(/^off: the model at .* is for another taxonomy/);
  });

  it('fails the load on a model file that is not a model, or a model path that is not there', () => {
    expect(() => loadClassifier(taxonomyDir('{"format": 1}'))).toThrow(SecondOpinionError);
    expect(() => loadClassifier(taxonomyDir('{"format": 1}'))).toThrow(/second-opinion\.json: taxonomyVersion: /);
    expect(() => loadClassifier(DEFAULT_TAXONOMY_PATH, { secondOpinion: '/nonexistent/model.json' })).toThrow(/\/nonexistent\/model\.json: cannot read/);
  });
});
