import { parseTaxonomy } from './taxonomy-loader';
import { TopicClassifier } from './article-classifier';
import { DROP_CHECK_PASSAGES, FOUND_EVIDENCE_SENTENCES, SecondLook, SecondLookError, parseSecondLook, embeddingText, evidencePassages, type SecondLookModel } from './second-look';
import { HashedEmbedder, neighbourSpec, smallTaxonomySource } from './testing';
import type { TextEmbedder } from './text-embedder.port';

// Threshold 5, terms of weight 2: one term in the body is a topic the rules half-see.
const classifier = new TopicClassifier(parseTaxonomy(smallTaxonomySource('t1', { precursors: 'ephedrine, acetic anhydride', 'afghanistan-opiates': 'heroin, opium' }, 5)));

/** Counts what reaches the embedder. */
class CountingEmbedder implements TextEmbedder {
  readonly inner = new HashedEmbedder();
  readonly model = this.inner.model;
  readonly dimensions = this.inner.dimensions;
  texts: string[] = [];
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.texts.push(...texts);
    return this.inner.embed(texts);
  }
  async close(): Promise<void> {}
}

const half = { title: 'Customs stop a truck', text: 'Officers found ephedrine among the cargo of cold medicine bound for a pharmacy chain.' };
const alike = { title: 'Customs stop a van', text: 'Officers found ephedrine among the cargo of cold medicine bound for a pharmacy group.' };
const unlike = { title: 'Farmers plant again', text: 'A heroin trade route ran near the village, ephedrine was never mentioned by the mayor at all.' };

/** A model that backs precursors for texts worded like `half`, and nothing else. */
async function modelFor(embedder: TextEmbedder, overrides: Partial<SecondLookModel> = {}): Promise<SecondLookModel> {
  const [reference] = await embedder.embed([embeddingText(half)]);
  return {
    format: 1,
    embedder: embedder.model,
    dimensions: embedder.dimensions,
    addAt: 0.5,
    dropBelow: 0,
    training: { part: 'dev', articles: 3, inverseRegularisation: 100, classWeight: 'balanced', library: 'test' },
    topics: {
      precursors: { bias: -15, weights: Array.from(reference, (x) => 20 * x), positives: 1 },
      'afghanistan-opiates': { bias: 30, weights: new Array(embedder.dimensions).fill(0), positives: 1 },
    },
    ...overrides,
  };
}

describe('second look', () => {
  it('adds a topic the rules half-saw when the model backs it, with the rule score and terms as evidence', async () => {
    const embedder = new CountingEmbedder();
    const look = new SecondLook(await modelFor(embedder), embedder);
    const rules = classifier.classify(alike);
    expect(rules.topics).toEqual([]);
    const revised = await look.revise(classifier, alike, rules);
    expect(revised.topics.map((t) => t.id)).toEqual(['precursors']);
    expect(revised.topics[0].score).toBe(classifier.scoreTopic(alike.title, alike.text, 'precursors').score);
    expect(revised.topics[0].evidence.map((e) => [e.term, e.field])).toEqual([['ephedrine', 'text']]);
    expect(revised.taxonomyVersion).toBe('t1');
  });

  it('leaves a half-seen topic out when the model does not back it', async () => {
    const embedder = new CountingEmbedder();
    const look = new SecondLook(await modelFor(embedder), embedder);
    const revised = await look.revise(classifier, unlike, classifier.classify(unlike));
    // opiates: backed by the model (bias 30) and half-seen (heroin once): added; precursors: not backed.
    expect(revised.topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
  });

  it('never speaks where the rules found no term, and removes nothing they assigned unless asked to', async () => {
    const embedder = new CountingEmbedder();
    const look = new SecondLook(await modelFor(embedder), embedder);
    const none = { title: 'Weather', text: 'Rain is expected over the weekend.' };
    const strong = { title: 'Heroin and opium seized', text: 'Police seized heroin and opium, and more heroin.' };
    embedder.texts = [];
    const [a, b] = await look.reviseAll(classifier, [none, strong], [classifier.classify(none), classifier.classify(strong)]);
    expect(a.topics).toEqual([]);
    expect(b.topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
    // Neither article had a half-seen topic, so neither was embedded.
    expect(embedder.texts).toEqual([]);
  });

  it('drops a topic the rules assigned only when the model all but rules it out', async () => {
    const embedder = new CountingEmbedder();
    const strong = { title: 'Heroin and opium seized', text: 'Police seized heroin and opium, and more heroin.' };
    const against = await modelFor(embedder, { dropBelow: 0.1 });
    against.topics['afghanistan-opiates'] = { bias: -30, weights: new Array(embedder.dimensions).fill(0), positives: 1 };
    expect((await new SecondLook(against, embedder).revise(classifier, strong, classifier.classify(strong))).topics).toEqual([]);
    const unsure = await modelFor(embedder, { dropBelow: 0.1 });
    unsure.topics['afghanistan-opiates'] = { bias: -1, weights: new Array(embedder.dimensions).fill(0), positives: 1 }; // p 0.27
    expect((await new SecondLook(unsure, embedder).revise(classifier, strong, classifier.classify(strong))).topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
  });

  describe('before a drop, in a long article', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, k) => `The council discussed road repairs in district ${k} and the budget for new school buses.`).join(' ');
    const paragraph = 'Meanwhile customs officers seized heroin at the border. The heroin and the opium came by truck from the south. The driver was detained.';
    const long = { title: 'A city council meeting', text: `${filler(8)} ${paragraph} ${filler(8)}` };
    const short = { title: 'A city council meeting', text: `${filler(5)} ${paragraph}` };
    const opiates = (article: { title: string; text: string }) => classifier.scoreTopic(article.title, article.text, 'afghanistan-opiates');

    /** A model that backs opiates for texts worded like `backed`, and for nothing else. */
    async function passageModel(embedder: TextEmbedder, dropCheck?: { from: number; keepAt: number }, backed = paragraph): Promise<SecondLookModel> {
      const [reference] = await embedder.embed([backed]);
      const model = await modelFor(embedder, { dropBelow: 0.15, ...(dropCheck ? { dropCheck } : {}) });
      // Steep: the hashed trigrams of any English text share much with the paragraph's.
      model.topics['afghanistan-opiates'] = { bias: -90, weights: Array.from(reference, (x) => 100 * x), positives: 1 };
      return model;
    }

    it('keeps a topic that the passage around its terms is about, though the whole article is not', async () => {
      expect(long.text.length).toBeGreaterThan(1000);
      expect(classifier.classify(long).topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
      const embedder = new CountingEmbedder();
      const model = await passageModel(embedder, { from: 1000, keepAt: 0.5 });
      const [whole] = await embedder.embed([embeddingText(long)]);
      expect(new SecondLook(model, embedder).probability('afghanistan-opiates', whole)).toBeLessThan(0.15);
      embedder.texts = [];
      const revised = await new SecondLook(model, embedder).revise(classifier, long, classifier.classify(long));
      expect(revised.topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
      // The article, then the passages its three hits lie in, in one more request: the first
      // heroin's sentence with the council's before it, and the second sentence, its paragraph.
      const passages = evidencePassages(long.title, long.text, opiates(long).evidence);
      expect(passages).toHaveLength(2);
      expect(passages).toContain(paragraph);
      expect(embedder.texts).toEqual([embeddingText(long), ...passages]);
      // The same model without the check drops it.
      expect((await new SecondLook(await passageModel(embedder), embedder).revise(classifier, long, classifier.classify(long))).topics).toEqual([]);
    });

    it('drops it when no passage reads as about it, and reads none in an article under the length', async () => {
      const embedder = new CountingEmbedder();
      const elsewhere = new SecondLook(await passageModel(embedder, { from: 1000, keepAt: 0.5 }, 'Farmers plant wheat after the spring rains in the valley.'), embedder);
      expect((await elsewhere.revise(classifier, long, classifier.classify(long))).topics).toEqual([]);
      expect(classifier.classify(short).topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
      const look = new SecondLook(await passageModel(embedder, { from: 1000, keepAt: 0.5 }), embedder);
      embedder.texts = [];
      const [whole] = await embedder.embed([embeddingText(short)]);
      expect(look.probability('afghanistan-opiates', whole)).toBeLessThan(0.15);
      embedder.texts = [];
      expect((await look.revise(classifier, short, classifier.classify(short))).topics).toEqual([]);
      expect(embedder.texts).toEqual([embeddingText(short)]);
    });

    it('takes as passages the title, and each body term with the sentences either side, each once and at most a few', () => {
      const text = 'One. Two has heroin. Three. Four. Five has opium. Six.';
      const at = (word: string, field: 'title' | 'text' = 'text', weight = 2) => {
        const source = field === 'title' ? 'Heroin news' : text;
        const start = source.indexOf(word);
        return { term: word, field, start, end: start + word.length, weight };
      };
      expect(evidencePassages('Heroin news', text, [at('Heroin', 'title'), at('heroin'), at('opium'), at('heroin')])).toEqual([
        'Heroin news',
        'One. Two has heroin. Three.',
        'Four. Five has opium. Six.',
      ]);
      // A negative phrase's sentence is not one.
      expect(evidencePassages('Heroin news', text, [at('opium', 'text', -3)])).toEqual([]);
      const many = Array.from({ length: 20 }, (_, k) => `Sentence ${k} has heroin.`).join(' ');
      const all = Array.from({ length: 20 }, (_, k) => {
        const start = many.indexOf(`Sentence ${k} `);
        return { term: 'heroin', field: 'text' as const, start, end: start + 10, weight: 2 };
      });
      expect(evidencePassages('', many, all)).toHaveLength(DROP_CHECK_PASSAGES);
    });
  });

  it('finds a topic the rules found no term of only when the model is all but sure, with its sentence as evidence', async () => {
    const embedder = new CountingEmbedder();
    // precursors backed for texts worded like `mill`'s second sentence, and only for those.
    const mill = { title: 'A quiet town', text: 'The mayor opened a park. A mill made a powder from cold tablets for a lab across the river. Rain fell.' };
    const [sentence] = await embedder.embed(['A mill made a powder from cold tablets for a lab across the river.']);
    const model = await modelFor(embedder, { findAt: 0.9 });
    model.topics.precursors = { bias: -12, weights: Array.from(sentence, (x) => 20 * x), positives: 1 };
    delete (model.topics as Record<string, unknown>)['afghanistan-opiates'];
    expect(classifier.scoreTopic(mill.title, mill.text, 'precursors').evidence).toEqual([]);
    const look = new SecondLook(model, embedder);
    const found = await look.revise(classifier, mill, classifier.classify(mill));
    expect(found.topics.map((t) => [t.id, t.score])).toEqual([['precursors', 0]]);
    const [evidence] = found.topics[0].evidence;
    expect(evidence).toMatchObject({ term: 'A mill made a powder from cold tablets for a lab across the river.', field: 'text' });
    expect(mill.text.slice(evidence.start, evidence.end)).toBe(evidence.term);
    expect(evidence.weight).toBeGreaterThan(0.9);
    // Without findAt the same model says nothing where the rules found nothing.
    const silent = new SecondLook({ ...model, findAt: undefined }, embedder);
    expect((await silent.revise(classifier, mill, classifier.classify(mill))).topics).toEqual([]);
    // Less sure than findAt: nothing found.
    const unsure = new SecondLook({ ...model, findAt: 0.9999 }, embedder);
    expect((await unsure.revise(classifier, mill, classifier.classify(mill))).topics).toEqual([]);
  });

  it('reads no more than the title and the first sentences of a long article for the evidence', async () => {
    const embedder = new CountingEmbedder();
    const model = await modelFor(embedder, { findAt: 0.9 });
    model.topics.precursors = { bias: 30, weights: new Array(embedder.dimensions).fill(0), positives: 1 };
    const long = { title: 'A long report', text: Array.from({ length: 500 }, (_, k) => `Sentence number ${k} says little.`).join(' ') };
    embedder.texts = [];
    const found = await new SecondLook(model, embedder).revise(classifier, long, classifier.classify(long));
    expect(found.topics.map((t) => t.id)).toContain('precursors');
    // One request for the article, then the title and the first sentences only.
    expect(embedder.texts).toHaveLength(1 + FOUND_EVIDENCE_SENTENCES);
    expect(embedder.texts[1]).toBe('A long report');
  });

  it('finds nothing in an article without words, as it would have no sentence to show', async () => {
    const embedder = new CountingEmbedder();
    const model = await modelFor(embedder, { findAt: 0.9 });
    model.topics.precursors = { bias: 30, weights: new Array(embedder.dimensions).fill(0), positives: 1 };
    const empty = { title: '  ', text: '\n' };
    expect((await new SecondLook(model, embedder).revise(classifier, empty, classifier.classify(empty))).topics).toEqual([]);
  });

  it('never finds a topic its rules pushed below 0', async () => {
    const embedder = new CountingEmbedder();
    const negative = new TopicClassifier(parseTaxonomy(smallTaxonomySource('t2', { precursors: 'ephedrine' }, 5).replace('terms:', 'negative: [{ weight: 3, en: [cigarettes] }]\n    terms:')));
    const smokes = { title: 'Customs at the port', text: 'Officers seized cigarettes and some ephedrine in a container.' };
    expect(negative.scoreTopic(smokes.title, smokes.text, 'precursors').score).toBeLessThan(0);
    const always = await modelFor(embedder, { findAt: 0.9 });
    always.topics.precursors = { bias: 30, weights: new Array(embedder.dimensions).fill(0), positives: 1 };
    expect((await new SecondLook(always, embedder).revise(negative, smokes, negative.classify(smokes))).topics).toEqual([]);
  });

  it('embeds the articles of a batch that need it in one request, in order', async () => {
    const embedder = new CountingEmbedder();
    const look = new SecondLook(await modelFor(embedder), embedder);
    embedder.texts = [];
    const none = { title: 'Weather', text: 'Sunny.' };
    const revised = await look.reviseAll(classifier, [alike, none, unlike], [alike, none, unlike].map((x) => classifier.classify(x)));
    expect(embedder.texts).toEqual([embeddingText(alike), embeddingText(unlike)]);
    expect(revised.map((r) => r.topics.map((t) => t.id))).toEqual([['precursors'], [], ['afghanistan-opiates']]);
  });

  it('refuses a model fitted on another embedder, and a file that is not a model, naming the file and the field', async () => {
    const embedder = new HashedEmbedder();
    const other = new HashedEmbedder(32);
    const model = await modelFor(embedder);
    expect(() => new SecondLook(model, other, 'm.json')).toThrow(SecondLookError);
    expect(() => new SecondLook(model, other, 'm.json')).toThrow(/m\.json: fitted on hashed-trigrams\/64 .*npm run train:second-look/);
    expect(() => parseSecondLook('{', 'm.json')).toThrow(/m\.json: invalid JSON/);
    const short = { ...model, topics: { precursors: { bias: 0, weights: [1, 2], positives: 1 } } };
    expect(() => parseSecondLook(JSON.stringify(short), 'm.json')).toThrow('m.json: topics.precursors: 2 weights, expected 64');
    expect(() => parseSecondLook(JSON.stringify({ ...model, addAt: 2 }), 'm.json')).toThrow(/m\.json: addAt:/);
    expect(() => parseSecondLook(JSON.stringify({ ...model, findAt: 0.4 }), 'm.json')).toThrow(/m\.json: findAt:/);
    const neighbours = { weight: 0.5, ...neighbourSpec([[1, 0]], [['precursors']], { topics: ['precursors'], k: 1, sharpness: 50 }) };
    expect(() => parseSecondLook(JSON.stringify({ ...model, neighbours }), 'm.json')).toThrow('m.json: neighbours.vectors: 2 bytes, expected 1 articles × 64 dimensions');
    expect(() => parseSecondLook(JSON.stringify({ ...model, neighbours: { ...neighbours, weight: 1 } }), 'm.json')).toThrow(/m\.json: neighbours\.weight:/);
  });

  it('blends the vote of the nearest dev articles into the probability, once per article', async () => {
    const embedder = new CountingEmbedder();
    const [halfVector, unlikeVector] = await embedder.inner.embed([embeddingText(half), embeddingText(unlike)]);
    // A regression that cannot tell (p 0.5 for every article) and two neighbours: an article worded
    // like `half` with precursors, one worded like `unlike` with none.
    const undecided = { bias: 0, weights: new Array(embedder.dimensions).fill(0), positives: 1 };
    const model = await modelFor(embedder, {
      addAt: 0.7,
      topics: { precursors: undecided },
      neighbours: { weight: 0.5, ...neighbourSpec([halfVector, unlikeVector], [['precursors'], []], { topics: ['precursors'], k: 1, sharpness: 50 }) },
    });
    const look = new SecondLook(model, embedder);
    expect(look.note).toMatch(/0\.5 of each probability from the vote of the 1 nearest of 2 dev articles/);
    // Both articles half-see precursors (ephedrine); the nearest article's vote decides.
    expect(look.probability('precursors', (await embedder.inner.embed([embeddingText(alike)]))[0])).toBeCloseTo(0.75, 6);
    const [alikeRevised, unlikeRevised] = await look.reviseAll(classifier, [alike, unlike], [alike, unlike].map((x) => classifier.classify(x)));
    expect(alikeRevised.topics.map((t) => t.id)).toEqual(['precursors']);
    expect(unlikeRevised.topics.map((t) => t.id)).toEqual([]);
    // Without the neighbours the same regression adds nothing.
    const alone = new SecondLook({ ...model, neighbours: undefined }, embedder);
    expect((await alone.revise(classifier, alike, classifier.classify(alike))).topics).toEqual([]);
  });
});
