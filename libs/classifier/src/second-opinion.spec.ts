import { TopicClassifier } from './article-classifier';
import { parseTaxonomy } from './taxonomy-loader';
import { SECOND_OPINION_FORMAT, SecondOpinion, SecondOpinionError, combine, combinerSize, parseSecondOpinion, type SecondOpinionModel } from './second-opinion';
import { NgramBag } from './ngram-bag';

const taxonomy = parseTaxonomy(`
version: t1
scoring: { titleWeight: 2, leadWeight: 1, listWeight: 0.2, listMarkersMin: 2, listSeparatorsMin: 2, repeatDecay: 0.5, defaultWithin: 30, maxEvidence: 5 }
anchors:
  drug: { en: [drug*, heroin] }
topics:
  - id: precursors
    threshold: 4
    terms: [{ weight: 2, en: [precursor*, ephedrine] }]
  - id: narcoterrorism
    threshold: 2
    requires: [drug]
    terms: [{ weight: 1, en: [militants, insurgents] }]
  - id: drug-use-health
    threshold: 2
    terms: [{ weight: 2, en: [overdose*] }]
`);
const topicIds = taxonomy.topics.map((t) => t.id as string);
const spec = { bits: 6, min: 2, max: 3, maxUnits: 300 };

/**
 * A hand-made model: no n-gram weights, a text model that is sure of `textBias`, and combiners
 * that follow the text model alone (weight 40 on its feature, index 7).
 */
function model(textBias: number, over: Partial<SecondOpinionModel> = {}): SecondOpinionModel {
  const weights = new Array<number>(combinerSize(topicIds.length)).fill(0);
  weights[7] = 40;
  return {
    format: SECOND_OPINION_FORMAT,
    taxonomyVersion: 't1',
    topicOrder: topicIds,
    ngrams: spec,
    addAt: 0.5,
    dropBelow: 0.05,
    training: { part: 'dev', articles: 0, seed: 1, epochs: 1 },
    text: Object.fromEntries(topicIds.map((id) => [id, { bias: textBias, ngrams: new Array<number>(64).fill(0), positives: 0 }])),
    add: { weights, examples: 0, positives: 0 },
    keep: { weights, examples: 0, positives: 0 },
    ...over,
  };
}
const withModel = (m: SecondOpinionModel): TopicClassifier => new TopicClassifier(taxonomy, { secondOpinion: new SecondOpinion(m, { version: 't1', topicIds }) });
const ids = (c: TopicClassifier, title: string, text: string): string[] => c.topicsOf(title, text).map((t) => t.id);

describe('combining the rules with the second opinion', () => {
  it('keeps the rules verdict unless the model is confident enough to overturn it', () => {
    expect(combine(true, 0.3, 0.5, 0.05)).toBe(true);
    expect(combine(true, 0.01, 0.5, 0.05)).toBe(false);
    expect(combine(true, 0.01, 0.5, 0)).toBe(true);
    expect(combine(false, 0.49, 0.5, 0.05)).toBe(false);
    expect(combine(false, 0.5, 0.5, 0.05)).toBe(true);
  });

  it('adds a topic only where the rules found one of its terms, and shows those terms as evidence', () => {
    const rules = new TopicClassifier(taxonomy);
    const yes = withModel(model(8));
    // One precursor term scores 2, under the threshold of 4: the rules say no, the model yes.
    const text = 'Customs found ephedrine in a lorry.';
    expect(ids(rules, '', text)).toEqual([]);
    const added = yes.topicsOf('', text);
    expect(added.map((t) => t.id)).toEqual(['precursors']);
    expect(added[0].score).toBe(2);
    const at = text.indexOf('ephedrine');
    expect(added[0].evidence).toEqual([{ term: 'ephedrine', field: 'text', start: at, end: at + 'ephedrine'.length, weight: 2 }]);
    // Nothing of the other topics in the text: however sure the model, nothing else is added.
    expect(ids(yes, 'Tourism in spring', 'Hotels are full and the weather is fine.')).toEqual([]);
  });

  it('never opens a topic whose `requires` anchor is missing', () => {
    const yes = withModel(model(8));
    expect(ids(yes, '', 'Militants attacked a convoy.')).toEqual([]);
    expect(ids(yes, '', 'Militants moved heroin across the border.')).toEqual(['narcoterrorism']);
  });

  it('drops a rule-assigned topic only when very confident, and never when dropBelow is 0', () => {
    const text = 'Ephedrine and precursors were seized; precursor controls tightened.';
    expect(ids(new TopicClassifier(taxonomy), '', text)).toEqual(['precursors']);
    expect(ids(withModel(model(-8)), '', text)).toEqual([]);
    expect(ids(withModel(model(-8, { dropBelow: 0 })), '', text)).toEqual(['precursors']);
    // Unsure (p = 0.5): the rules stand.
    expect(ids(withModel(model(0)), '', text)).toEqual(['precursors']);
  });

  it('leaves a topic it has no text model for to the rules', () => {
    const m = model(8);
    delete (m.text as Record<string, unknown>).precursors;
    expect(ids(withModel(m), '', 'Customs found ephedrine in a lorry.')).toEqual([]);
  });

  it('gives the same result for the same article, however many others were classified before', () => {
    const c = withModel(model(8));
    const first = c.topicsOf('Overdose', 'ephedrine');
    c.topicsOf('Militants', 'heroin and militants and overdoses '.repeat(50));
    expect(c.topicsOf('Overdose', 'ephedrine')).toEqual(first);
  });
});

describe('a model for another taxonomy', () => {
  it('is refused with an error naming both versions', () => {
    const stale = (): SecondOpinion => new SecondOpinion(model(0, { taxonomyVersion: 't0' }), { version: 't1', topicIds }, 'm.json');
    expect(stale).toThrow(SecondOpinionError);
    expect(stale).toThrow('m.json: trained on taxonomy t0, but the taxonomy is t1: retrain with npm run train:classifier');
    try {
      stale();
    } catch (e) {
      expect((e as SecondOpinionError).code).toBe('SECOND_OPINION_STALE');
    }
  });

  it('is refused when the topics differ, even under the same version', () => {
    expect(() => new SecondOpinion(model(0), { version: 't1', topicIds: [...topicIds].reverse() }, 'm.json')).toThrow(/trained on topics precursors, narcoterrorism, drug-use-health/);
  });
});

describe('reading a model file', () => {
  it('names the file and what is wrong', () => {
    expect(() => parseSecondOpinion('{', 'm.json')).toThrow(/^m\.json: invalid JSON/);
    expect(() => parseSecondOpinion(JSON.stringify({ ...model(0), addAt: 2 }), 'm.json')).toThrow(/^m\.json: addAt: /);
    expect(() => parseSecondOpinion(JSON.stringify({ ...model(0), text: { precursors: { bias: 'x', ngrams: [], positives: 0 } } }), 'm.json')).toThrow(/^m\.json: text\.precursors\.bias: /);
    expect(parseSecondOpinion(JSON.stringify(model(0)), 'm.json').taxonomyVersion).toBe('t1');
  });

  it('refuses weights of the wrong size', () => {
    const short = model(0, { add: { weights: [1, 2], examples: 0, positives: 0 } });
    expect(() => new SecondOpinion(short, { version: 't1', topicIds }, 'm.json')).toThrow(/add: 2 weights, expected 12/);
  });
});

describe('the n-gram bag', () => {
  it('reads each n-gram of the allowed sizes once, up to maxUnits', () => {
    const bag = new NgramBag({ bits: 8, min: 2, max: 3, maxUnits: 4 });
    bag.add(Uint16Array.from('abcdef', (c) => c.charCodeAt(0)), 6);
    // abcd: ab abc bc bcd cd
    expect(bag.count).toBe(5);
    const again = new NgramBag({ bits: 8, min: 2, max: 3, maxUnits: 4 });
    again.add(Uint16Array.from('abcdXX', (c) => c.charCodeAt(0)), 6);
    expect([...again.ids.subarray(0, again.count)]).toEqual([...bag.ids.subarray(0, bag.count)]);
    expect(bag.scale()).toBeCloseTo(1 / Math.sqrt(5));
  });

  it('refuses a table or sizes it cannot hold', () => {
    expect(() => new NgramBag({ bits: 30, min: 2, max: 3, maxUnits: 4 })).toThrow(/bits/);
    expect(() => new NgramBag({ bits: 8, min: 3, max: 2, maxUnits: 4 })).toThrow(/sizes/);
  });
});
