import Database from 'better-sqlite3';
import { BUS_TOPICS, StoredArticle, articleIdFromUrl, parseEvent } from '@monitor/contracts';
import { TopicClassifier, parseTaxonomy } from '@monitor/classifier';
import { smallTaxonomySource } from '@monitor/classifier/testing';
import { IncomingMessage } from '@monitor/messaging';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { SqliteArticleStore } from '@monitor/search-sqlite';
import { ReclassificationBusyError, ReclassificationRunner, reclassifyStoredArticles } from './reclassification';

const classifier = (version: string, precursorTerms: string): TopicClassifier =>
  new TopicClassifier(parseTaxonomy(smallTaxonomySource(version, { precursors: precursorTerms, 'afghanistan-opiates': 'heroin, opium' })));

function article(slug: string, title: string, text: string, version: string, topics: string[]): StoredArticle {
  return {
    id: articleIdFromUrl(`https://example.org/${slug}`),
    sourceId: 'test',
    url: `https://example.org/${slug}`,
    title,
    text,
    language: 'en',
    publishedAt: '2026-11-03T10:00:00.000Z',
    fetchedAt: '2026-11-03T10:05:00.000Z',
    classifiedAt: '2026-11-03T10:05:01.000Z',
    taxonomyVersion: version,
    topics: topics.map((id) => ({ id: id as StoredArticle['topics'][number]['id'], score: 4, evidence: [] })),
  };
}

describe('reclassifyStoredArticles', () => {
  let db: Database.Database;
  let store: SqliteArticleStore;
  let bus: SqliteBus;
  const ephedrine = article('ephedrine', 'Ephedrine shipment stopped at the border', 'Officers held the cargo.', 'v1', []);
  const heroin = article('heroin', 'Heroin seized', 'Police found opium and heroin.', 'v1', ['afghanistan-opiates']);
  const railway = article('railway', 'Railway opens', 'A new line carries grain.', 'v1', []);

  beforeEach(async () => {
    db = new Database(':memory:');
    store = new SqliteArticleStore({ db });
    await store.init();
    bus = new SqliteBus({ db, defaultPartitions: 1 });
    await bus.ensureTopics([{ topic: BUS_TOPICS.classified, partitions: 1, replicationFactor: 1 }]);
    await store.upsertMany([ephedrine, heroin, railway]);
  });

  afterEach(async () => {
    await bus.close();
    await store.close();
    db.close();
  });

  const published = async (): Promise<IncomingMessage[]> => {
    const seen: IncomingMessage[] = [];
    const consumer = await bus.consume({ topic: BUS_TOPICS.classified, group: 'probe', handleBatch: async (batch) => void seen.push(...batch) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consumer.stop();
    return seen;
  };

  it('updates topics and version in place and republishes only articles whose topic set changed', async () => {
    const report = await reclassifyStoredArticles({ store, bus, classifier: classifier('v2', 'precursor*, ephedrine'), pageSize: 2 });

    expect(report).toEqual({ taxonomyVersion: 'v2', scanned: 3, changed: 1, unchanged: 2, updated: 3 });
    expect((await store.search({})).total).toBe(3);
    const updated = await store.get(ephedrine.id);
    expect(updated?.taxonomyVersion).toBe('v2');
    expect(updated?.topics.map((t) => t.id)).toEqual(['precursors']);
    expect((await store.get(heroin.id))?.topics.map((t) => t.id)).toEqual(['afghanistan-opiates']);
    expect((await store.get(railway.id))?.taxonomyVersion).toBe('v2');

    const messages = await published();
    expect(messages.map((m) => m.key)).toEqual([ephedrine.id]);
    const event = parseEvent(BUS_TOPICS.classified, JSON.parse(messages[0].value));
    expect(event).toMatchObject({ id: ephedrine.id, taxonomyVersion: 'v2', url: ephedrine.url, title: ephedrine.title });
    expect(event.topics.map((t) => t.id)).toEqual(['precursors']);
  });

  it('changes nothing on a second run of the same version', async () => {
    const v2 = classifier('v2', 'precursor*, ephedrine');
    await reclassifyStoredArticles({ store, bus, classifier: v2 });
    const again = await reclassifyStoredArticles({ store, bus, classifier: v2 });
    expect(again).toEqual({ taxonomyVersion: 'v2', scanned: 3, changed: 0, unchanged: 3, updated: 0 });
    expect(await published()).toHaveLength(1);
  });

  it('runs one re-classification at a time', async () => {
    const runner = new ReclassificationRunner();
    const v2 = classifier('v2', 'ephedrine');
    const first = runner.run({ store, bus, classifier: v2 });
    await expect(runner.run({ store, bus, classifier: v2 })).rejects.toBeInstanceOf(ReclassificationBusyError);
    await expect(first).resolves.toMatchObject({ changed: 1 });
    await expect(runner.run({ store, bus, classifier: v2 })).resolves.toMatchObject({ changed: 0 });
  });
});
