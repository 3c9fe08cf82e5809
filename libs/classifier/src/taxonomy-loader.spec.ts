import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaxonomy, DEFAULT_TAXONOMY_PATH } from './taxonomy-loader';
import { TaxonomyError } from './taxonomy-error';

const dir = mkdtempSync(join(tmpdir(), 'taxonomy-'));
const HEAD = `version: "x1"
scoring: { titleWeight: 2, leadWeight: 1.5, listWeight: 0.2, listMarkersMin: 2, listSeparatorsMin: 2, repeatDecay: 0.6, defaultWithin: 100, maxEvidence: 10 }
anchors:
  drug: { en: [drug] }
`;

function write(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, HEAD + body);
  return path;
}

function errorOf(path: string): TaxonomyError {
  try {
    loadTaxonomy(path);
  } catch (e) {
    expect(e).toBeInstanceOf(TaxonomyError);
    return e as TaxonomyError;
  }
  throw new Error('expected the taxonomy to be rejected');
}

describe('loadTaxonomy', () => {
  it('loads the shipped taxonomy with a version', () => {
    const t = loadTaxonomy(DEFAULT_TAXONOMY_PATH);
    expect(t.version).toMatch(/\S/);
    expect(t.topics.length).toBe(11);
  });

  it('names file, topic and field of a wrong weight', () => {
    const path = write('weight.yaml', `topics:
  - id: precursors
    threshold: 4
    terms:
      - weight: 2
        en: [precursor*]
      - weight: heavy
        en: [ephedrine]
`);
    const e = errorOf(path);
    expect(e.code).toBe('TAXONOMY_INVALID');
    expect(e.retriable).toBe(false);
    expect(e.file).toBe(path);
    expect(e.topic).toBe('precursors');
    expect(e.field).toBe('terms[1].weight');
    expect(e.message).toContain(path);
    expect(e.message).toContain('precursors');
    expect(e.message).toContain('terms[1].weight');
  });

  it('rejects a misspelt field, an unknown topic id, an unknown anchor and a missing threshold', () => {
    const typo = errorOf(write('typo.yaml', `topics:
  - id: precursors
    threshold: 4
    terms:
      - wieght: 2
        en: [precursor*]
`));
    expect(typo.topic).toBe('precursors');
    expect(typo.field).toBe('terms[0].wieght');

    const id = errorOf(write('id.yaml', `topics:
  - id: drugs-in-general
    threshold: 4
    terms: [{ weight: 1, en: [drug] }]
`));
    expect(id.topic).toBe('drugs-in-general');
    expect(id.field).toBe('id');

    const anchor = errorOf(write('anchor.yaml', `topics:
  - id: narcoterrorism
    threshold: 4
    terms: [{ weight: 1, near: [terror], en: [terrorism] }]
`));
    expect(anchor.topic).toBe('narcoterrorism');
    expect(anchor.field).toBe('terms[0].near[0]');

    const threshold = errorOf(write('threshold.yaml', `topics:
  - id: golden-triangle
    terms: [{ weight: 1, en: [golden triangle] }]
`));
    expect(threshold.topic).toBe('golden-triangle');
    expect(threshold.field).toBe('threshold');
  });

  it('rejects a term with nothing to match and broken YAML', () => {
    const empty = errorOf(write('empty.yaml', `topics:
  - id: precursors
    threshold: 4
    terms: [{ weight: 1, en: ['--'] }]
`));
    expect(empty.field).toBe('terms[0].en[0]');
    const broken = errorOf(write('broken.yaml', `topics: [ { id: precursors, `));
    expect(broken.file).toContain('broken.yaml');
    expect(broken.field).toMatch(/line \d+/);
  });

  it('names the file it cannot read', () => {
    const e = errorOf(join(dir, 'missing.yaml'));
    expect(e.message).toContain('missing.yaml');
    // No file at the path is told apart from a file with faults: the API answers 404, not 400.
    expect(e.code).toBe('TAXONOMY_FILE_NOT_FOUND');
    expect(errorOf(dir).code).toBe('TAXONOMY_FILE_NOT_FOUND');
  });
});
