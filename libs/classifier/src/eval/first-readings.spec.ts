import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirstReadingError, batchOf, itemArrivals, readFirst } from './first-readings';
import type { CorpusItem } from './labelled-corpus';
import { smallTaxonomySource } from '../testing';

const taxonomy = (version: string, terms: string): string => smallTaxonomySource(version, { precursors: terms });

const item = (id: string, title: string, labels: string[]): CorpusItem => ({
  id,
  title,
  text: 'Customs officers reported it on Monday.',
  lang: 'en',
  labels,
  source: 'test',
  url: `https://example.org/${id}`,
  published: '2026-01-01',
  notes: '',
});
const line = (i: CorpusItem): string => JSON.stringify({ ...i, topics: i.labels });

describe('first readings', () => {
  let repo: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const commit = (message: string): string => {
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  const a = item('a-1', 'Precursor control tightened', ['precursors']);
  const b = item('b-1', 'Ephedrine shipment stopped at the border', ['precursors']);
  const c = item('b-2', 'Ephedrine found in a lab', ['precursors']);
  let first: string;
  let third: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'first-readings-'));
    git('init', '-q');
    mkdirSync(join(repo, 'items'));
    writeFileSync(join(repo, 'taxonomy.yaml'), taxonomy('v1', 'precursor*'));
    writeFileSync(join(repo, 'items', 'en.jsonl'), line(a) + '\n');
    first = commit('corpus and taxonomy v1');
    writeFileSync(join(repo, 'taxonomy.yaml'), taxonomy('v2', 'precursor*'));
    commit('taxonomy v2');
    writeFileSync(join(repo, 'items', 'en-3b.jsonl'), line(b) + '\n');
    third = commit('batch 3');
    // Tuned on batch 3 after it came: a later taxonomy must not give batch 3 its first reading.
    writeFileSync(join(repo, 'taxonomy.yaml'), taxonomy('v3', 'precursor*, ephedrine'));
    commit('taxonomy v3');
    writeFileSync(join(repo, 'items', 'en-3b.jsonl'), line(b) + '\n' + line(c) + '\n');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('dates each item by the commit that first added its id', () => {
    const arrivals = itemArrivals(join(repo, 'items'));
    expect(arrivals.get('a-1')).toEqual({ file: 'en', commit: first });
    expect(arrivals.get('b-1')).toEqual({ file: 'en-3b', commit: third });
    expect(arrivals.has('b-2')).toBe(false); // in the working tree only
  });

  it('scores an item with the taxonomy before its commit, not with the one tuned on it since', () => {
    const { readings, leftOut } = readFirst([a, b, c], join(repo, 'items'), join(repo, 'taxonomy.yaml'));
    expect(readings.map((r) => [r.item.id, r.batch, r.taxonomyVersion, [...r.predicted]])).toEqual([['b-1', 3, 'v2', []]]);
    expect(leftOut).toEqual([
      { id: 'a-1', why: 'no taxonomy.yaml before ' + first.slice(0, 7) },
      { id: 'b-2', why: 'not committed yet' },
    ]);
  });

  it('refuses a shallow clone, which has not the history to answer', () => {
    const shallow = mkdtempSync(join(tmpdir(), 'first-readings-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
      expect(() => itemArrivals(join(shallow, 'items'))).toThrow(FirstReadingError);
      expect(() => itemArrivals(join(shallow, 'items'))).toThrow(/shallow clone/);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  it('numbers batches by file name, the first corpus files being batch 1', () => {
    expect([batchOf('ru-5a'), batchOf('zh-12'), batchOf('en-un'), batchOf('ru')]).toEqual([5, 12, 1, 1]);
  });
});
