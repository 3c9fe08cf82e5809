import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TAXONOMY_PATH } from './taxonomy-loader';
import { SECOND_OPINION_FILE, loadClassifier } from './load-classifier';
import { SecondOpinionError } from './second-opinion';

const shipped = join(DEFAULT_TAXONOMY_PATH, '..', SECOND_OPINION_FILE);

/** A directory holding the shipped taxonomy and, when given, a model file beside it. */
function taxonomyDir(model?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'taxonomy-'));
  copyFileSync(DEFAULT_TAXONOMY_PATH, join(dir, 'taxonomy.yaml'));
  if (model !== undefined) writeFileSync(join(dir, SECOND_OPINION_FILE), model);
  return join(dir, 'taxonomy.yaml');
}

describe('loading the classifier with its second opinion', () => {
  const version = loadClassifier(DEFAULT_TAXONOMY_PATH, { secondOpinion: false }).taxonomyVersion;
  const model = JSON.parse(readFileSync(shipped, 'utf8')) as { taxonomyVersion: string };

  it('ships a model for the shipped taxonomy, and uses it', () => {
    // Fails when the taxonomy changed without `npm run train:classifier` after it.
    expect(model.taxonomyVersion).toBe(version);
    const warnings: string[] = [];
    const classifier = loadClassifier(DEFAULT_TAXONOMY_PATH, { warn: (m) => warnings.push(m) });
    expect(classifier.secondOpinion).not.toBeNull();
    expect(classifier.secondOpinionNote).toMatch(/^on: .*second-opinion\.json, trained on taxonomy /);
    expect(warnings).toEqual([]);
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
