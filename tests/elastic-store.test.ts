import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ARTICLE_MAPPINGS, ArticleDocument, ElasticArticleStore, ElasticStoreOptions } from '@monitor/search-elastic';
import { StoredArticle } from '@monitor/contracts';
import { ArticleStore } from '@monitor/search';
import { describeStoreContract, FIXTURES, storedArticle } from '@monitor/search/testing';
import { ensureElasticsearch } from './infra-servers';

jest.setTimeout(120_000);

// A real Elasticsearch at ELASTICSEARCH_URL, started through infra/ when it does not answer. If it
// cannot be had, beforeAll throws and every case fails (never skips).
let url = '';
let admin: Client;
beforeAll(async () => {
  url = (await ensureElasticsearch()).url;
  admin = new Client({ node: url });
}, 10 * 60_000);

const run = randomUUID().slice(0, 8);
let n = 0;
const uniqueAlias = () => `test-articles-${run}-${++n}`;

async function drop(store: ArticleStore): Promise<void> {
  const elastic = store as ElasticArticleStore;
  await admin.indices.delete({ index: elastic.index }, { ignore: [404] });
  await admin.indices.deleteIndexTemplate({ name: elastic.templateName }, { ignore: [404] });
  await store.close();
}

afterAll(async () => {
  await admin?.close();
});

describeStoreContract('Elasticsearch', {
  async create() {
    const store = new ElasticArticleStore({ node: url, alias: uniqueAlias() });
    await store.init();
    return store;
  },
  dispose: drop,
});

describe('ElasticArticleStore on a real Elasticsearch', () => {
  const open: ArticleStore[] = [];
  const make = async (options: ElasticStoreOptions = {}, Store = ElasticArticleStore) => {
    const store = new Store({ node: url, alias: uniqueAlias(), ...options });
    open.push(store);
    await store.init();
    return store;
  };
  afterEach(async () => {
    for (const store of open.splice(0)) await drop(store);
  });

  it('writes through a write alias onto a versioned index made from the template', async () => {
    const store = await make({ version: 3 });
    const aliases = await admin.indices.getAlias({ name: store.alias });
    expect(aliases).toEqual({ [`${store.alias}-v3`]: { aliases: { [store.alias]: { is_write_index: true } } } });
    const mapping = await admin.indices.getMapping({ index: `${store.alias}-v3` });
    const properties = mapping[`${store.alias}-v3`].mappings.properties!;
    expect(properties.title_terms).toMatchObject({ type: 'text', analyzer: 'whitespace' });
    expect(properties.topicIds).toMatchObject({ type: 'keyword' });
    expect(properties.effectiveAt).toMatchObject({ type: 'date' });
    await store.init();
    await store.upsertMany([FIXTURES.scoChinese]);
    await store.refresh();
    expect((await admin.count({ index: `${store.alias}-v3` })).count).toBe(1);
  });

  it('fails only the document Elasticsearch refuses, as not retriable', async () => {
    class OneBadDate extends ElasticArticleStore {
      protected override toDocument(article: StoredArticle): ArticleDocument {
        const document = super.toDocument(article);
        return article.id === FIXTURES.onlineMarkets.id ? { ...document, effectiveAt: 'not a date' } : document;
      }
    }
    const store = await make({}, OneBadDate);
    const result = await store.upsertMany([FIXTURES.heroinRoutes, FIXTURES.onlineMarkets, FIXTURES.scoRussian]);
    expect(result.written.sort()).toEqual([FIXTURES.heroinRoutes.id, FIXTURES.scoRussian.id].sort());
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ id: FIXTURES.onlineMarkets.id, error: { retriable: false, status: 400 } });
    expect(result.failed[0].error.message).toMatch(/parse/);
  });

  it('sends items Elasticsearch rejects with 429 again after a backoff', async () => {
    // A loopback proxy that answers the first bulk like an overloaded node: every item rejected
    // with 429 (es_rejected_execution_exception), as Elasticsearch does when its write queue is full.
    let bulks = 0;
    const proxy = await startProxy(url, (request, body) => {
      if (!request.url?.includes('_bulk')) return null;
      bulks++;
      if (bulks > 1) return null;
      const items = body
        .split('\n')
        .filter((line) => line.includes('"index"'))
        .map((line) => ({
          index: { _id: JSON.parse(line).index._id, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } },
        }));
      return { status: 200, body: { took: 1, errors: true, items } };
    });
    try {
      const store = await make({ node: proxy.url, retryInitialDelayMs: 10, retryMaxDelayMs: 50 });
      const result = await store.upsertMany([FIXTURES.heroinRoutes, FIXTURES.scoChinese]);
      expect(result).toEqual({ written: expect.arrayContaining([FIXTURES.heroinRoutes.id, FIXTURES.scoChinese.id]), failed: [] });
      expect(bulks).toBe(2);
      await store.refresh();
      expect((await store.search({ q: '禁毒' })).total).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after its last attempt: rejected items come back retriable, a refused bulk throws retriable', async () => {
    let refuseWholeBulk = false;
    const proxy = await startProxy(url, (request, body) => {
      if (!request.url?.includes('_bulk')) return null;
      if (refuseWholeBulk) return { status: 429, body: { error: 'too many requests' } };
      const items = body
        .split('\n')
        .filter((line) => line.includes('"index"'))
        .map((line) => ({ index: { _id: JSON.parse(line).index._id, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } }));
      return { status: 200, body: { took: 1, errors: true, items } };
    });
    try {
      const store = await make({ node: proxy.url, maxAttempts: 2, retryInitialDelayMs: 10, retryMaxDelayMs: 20 });
      const result = await store.upsertMany([FIXTURES.heroinRoutes]);
      expect(result.written).toEqual([]);
      expect(result.failed).toEqual([{ id: FIXTURES.heroinRoutes.id, error: expect.objectContaining({ retriable: true, status: 429 }) }]);
      refuseWholeBulk = true;
      await expect(store.upsertMany([FIXTURES.heroinRoutes])).rejects.toMatchObject({ code: 'SEARCH_STORE_UNAVAILABLE', retriable: true });
    } finally {
      await proxy.close();
    }
  });

  it('gives an index made before stories its story fields on start, so search collapses by story there too', async () => {
    // The index as the code before stories made it: no story fields in a mapping that is not dynamic,
    // documents without a story key, and a storyId written then sitting in _source unindexed.
    const alias = uniqueAlias();
    const index = `${alias}-v1`;
    const { storyId: _storyId, storyKey: _storyKey, ...oldProperties } = ARTICLE_MAPPINGS.properties!;
    await admin.indices.create({ index, aliases: { [alias]: { is_write_index: true } }, mappings: { ...ARTICLE_MAPPINGS, properties: oldProperties } });
    const sco = 'story-' + 'd'.repeat(20);
    const oldDocument = (article: StoredArticle) => ({
      ...article,
      topicIds: article.topics.map((topic) => topic.id),
      effectiveAt: article.publishedAt ?? article.fetchedAt,
      title_terms: article.title,
      text_terms: article.text,
    });
    await admin.bulk({
      refresh: true,
      operations: [FIXTURES.scoRussian, FIXTURES.heroinRoutes, FIXTURES.cannabisDebate].flatMap((article) => [
        { index: { _index: alias, _id: article.id } },
        article === FIXTURES.scoRussian ? { ...oldDocument(article), storyId: sco } : oldDocument(article),
      ]),
    });
    expect((await admin.search({ index: alias, query: { term: { storyId: sco } } })).hits.hits).toHaveLength(0);

    // Two replicas starting at once both bring it up to date, neither undoing the other.
    const stores = [new ElasticArticleStore({ node: url, alias }), new ElasticArticleStore({ node: url, alias })];
    open.push(...stores);
    await Promise.all(stores.map((store) => store.init()));
    const [store] = stores;
    const properties = (await admin.indices.getMapping({ index }))[index].mappings.properties!;
    expect(properties.storyId).toMatchObject({ type: 'keyword' });
    expect(properties.storyKey).toMatchObject({ type: 'keyword' });

    await store.upsertMany([{ ...FIXTURES.scoChinese, storyId: sco }, FIXTURES.chineseMeeting]);
    await store.refresh();
    const result = await store.search({ collapse: 'story', sort: 'date' });
    // scoChinese stands for the story of both SCO reports; the old articles without one are rows of their own.
    expect(result.hits.map((hit) => hit.article.id)).toEqual(
      [FIXTURES.chineseMeeting, FIXTURES.cannabisDebate, FIXTURES.scoChinese, FIXTURES.heroinRoutes].map((a) => a.id),
    );
    expect(result.total).toBe(4);
    expect(result.hits[2].story).toEqual({ id: sco, articleCount: 2, languages: ['ru', 'zh'], otherLanguages: ['ru'], sourceCount: 2 });
    // Stories given later collapse too.
    await store.setStories(new Map([[FIXTURES.heroinRoutes.id, sco]]));
    await store.refresh();
    expect((await store.search({ collapse: 'story', sort: 'date' })).total).toBe(3);
    await store.init();
    expect((await store.search({ collapse: 'story', sort: 'date' })).total).toBe(3);
  });

  it('says it is down, and fails writes as retriable, when Elasticsearch cannot be reached', async () => {
    const store = new ElasticArticleStore({ node: 'http://127.0.0.1:1', maxAttempts: 2, retryInitialDelayMs: 10, requestTimeoutMs: 2_000 });
    try {
      expect(await store.health()).toMatchObject({ up: false });
      await expect(store.upsertMany([storedArticle({ slug: 'x' })])).rejects.toMatchObject({ retriable: true });
      await expect(store.search({ q: 'x' })).rejects.toMatchObject({ code: 'SEARCH_STORE_UNAVAILABLE' });
    } finally {
      await store.close();
    }
  });
});

type Intercept = (request: IncomingMessage, body: string) => { status: number; body: unknown } | null;

/** A pass-through HTTP proxy to Elasticsearch that may answer some requests itself. */
async function startProxy(target: string, intercept: Intercept): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const answer = intercept(request, body);
    if (answer) {
      response.writeHead(answer.status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      response.end(JSON.stringify(answer.body));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    const upstream = await fetch(new URL(request.url ?? '/', target), {
      method: request.method,
      headers,
      body: ['GET', 'HEAD'].includes(request.method ?? 'GET') && body.length === 0 ? undefined : body,
    });
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'content-encoding' && key !== 'transfer-encoding') out[key] = value;
    });
    response.writeHead(upstream.status, out);
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
