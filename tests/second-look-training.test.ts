// The second look's trainer across its two processes: fitSecondLook embeds in Node and hands the
// vectors to encoder/train_second_look.py (scikit-learn, in the encoder's own python), whose model
// second-look.ts must read, neighbours included. A test embedder stands in for the model, which
// would test nothing of the trainer; the python is the one `npm run encoder:install` makes.
import { SecondLook, embeddingText, fitSecondLook, parseSecondLook, type TrainingArticle } from '@monitor/classifier';
import { HashedEmbedder } from '@monitor/classifier/testing';
import { encoderPython } from './support/encoder-python';

jest.setTimeout(600_000);

const seizures = ['Customs seize ephedrine at the border', 'Police find acetic anhydride in a truck', 'Chemicals for drug labs seized at the port', 'Ephedrine shipment stopped by customs'];
const trade = ['Ministers discuss tariffs and trade', 'A new trade corridor opens for grain', 'Trade fair draws exporters of textiles', 'Tariff talks end with a trade deal'];
const articles: TrainingArticle[] = [
  ...seizures.map((title) => ({ title, text: `${title}. Officers said the precursor chemicals were bound for a clandestine laboratory.`, labels: ['precursors'] })),
  ...trade.map((title) => ({ title, text: `${title}. Officials expect the volume of trade to grow next year.`, labels: [] })),
];

describe('the second look trainer', () => {
  it('writes a model second-look.ts reads, whose neighbours give back the topics of the articles it kept', async () => {
    const python = encoderPython();
    const embedder = new HashedEmbedder();
    const model = await fitSecondLook(python, embedder, articles);

    // It survives the file's own parse, as a shipped model must.
    expect(parseSecondLook(JSON.stringify(model), 'fitted.json')).toEqual(model);
    expect(Object.keys(model.topics)).toEqual(['precursors']); // the only topic with 3 or more positives
    expect(model.training.articles).toBe(articles.length);
    const neighbours = model.neighbours!;
    expect(neighbours.labels).toHaveLength(articles.length);
    expect(neighbours.labels.filter((mask) => mask !== 0)).toHaveLength(seizures.length);
    expect(Buffer.from(neighbours.vectors, 'base64')).toHaveLength(articles.length * embedder.dimensions);

    // An article it kept is its own nearest neighbour: the vote alone, at its share, says its topic.
    const look = new SecondLook(model, embedder);
    const [seizure, tradeDeal] = await embedder.embed([embeddingText(articles[0]), embeddingText(articles[4])]);
    expect(look.probability('precursors', seizure)).toBeGreaterThan(0.9);
    expect(look.probability('precursors', tradeDeal)).toBeLessThan(0.1);
    const alone = new SecondLook({ ...model, neighbours: undefined }, embedder);
    const share = neighbours.weight;
    // The blend is the regression's probability at (1 − share) plus the vote at share.
    expect(look.probability('precursors', seizure)).toBeCloseTo((1 - share) * alone.probability('precursors', seizure) + share * 1, 2);
  });
});
