import { parseTaxonomy } from './taxonomy-loader';
import { TopicClassifier } from './article-classifier';
import { reclassify, type ReclassifiableArticle } from './reclassify';
import { HashedEmbedder, smallTaxonomySource } from './testing';
import { SecondLook, type SecondLookModel } from './second-look';

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

describe('reclassify with a second look', () => {
  it('counts the topics the look adds as the classifier\'s, so an article classified with them is unchanged', async () => {
    const embedder = new HashedEmbedder();
    // Threshold 5: one term in the body is half-seen; the model backs every half-seen topic.
    const classifier = new TopicClassifier(parseTaxonomy(smallTaxonomySource('v1', { precursors: 'ephedrine' }, 5)));
    const backsAll: SecondLookModel = {
      format: 1,
      embedder: embedder.model,
      dimensions: embedder.dimensions,
      addAt: 0.5,
      dropBelow: 0,
      training: { part: 'dev', articles: 1, inverseRegularisation: 1, classWeight: 'balanced', library: 'test' },
      topics: { precursors: { bias: 10, weights: new Array(embedder.dimensions).fill(0), positives: 1 } },
    };
    const look = new SecondLook(backsAll, embedder);
    const article: ReclassifiableArticle = { id: 'a', title: 'Customs', text: 'Ephedrine was found in the cargo.', taxonomyVersion: 'v1', topics: [] };
    const changed = [];
    for await (const r of reclassify([article], classifier, look)) changed.push(r);
    expect(changed.map((r) => [r.id, r.added])).toEqual([['a', ['precursors']]]);
    const unchanged = [];
    for await (const r of reclassify([{ ...article, topics: changed[0].topics }], classifier, look)) unchanged.push(r);
    expect(unchanged).toEqual([]);
  });
});
