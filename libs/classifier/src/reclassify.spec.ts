import { parseTaxonomy } from './taxonomy-loader';
import { TopicClassifier } from './article-classifier';
import { reclassify, type ReclassifiableArticle } from './reclassify';
import { smallTaxonomySource } from './testing';

const taxonomy = (version: string, terms: string): TopicClassifier => new TopicClassifier(parseTaxonomy(smallTaxonomySource(version, { precursors: terms })));

describe('reclassify', () => {
  it('yields only articles whose version or topic set changes', async () => {
    const v1 = taxonomy('v1', 'precursor*');
    const v2 = taxonomy('v2', 'precursor*, ephedrine');
    const articles: ReclassifiableArticle[] = [
      { id: 'a', title: 'Ephedrine shipment stopped', text: '', taxonomyVersion: 'v1', topics: [] },
      { id: 'b', title: 'Precursor control', text: '', taxonomyVersion: 'v1', topics: [{ id: 'precursors', score: 2, evidence: [] }] },
      { id: 'c', title: 'Tourism', text: '', taxonomyVersion: 'v2', topics: [] },
    ];
    const changed = [];
    for await (const r of reclassify(articles, v2)) changed.push(r);
    expect(changed.map((r) => [r.id, r.added, r.removed, r.taxonomyVersion])).toEqual([
      ['a', ['precursors'], [], 'v2'],
      ['b', [], [], 'v2'],
    ]);
    const again = [];
    for await (const r of reclassify([{ ...articles[2] }], v1)) again.push(r);
    expect(again.map((r) => r.id)).toEqual(['c']);
  });
});
