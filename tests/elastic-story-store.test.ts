import { Client } from '@elastic/elasticsearch';
import { randomUUID } from 'node:crypto';
import { ElasticStoryStore } from '@monitor/search-elastic';
import { StoryStore } from '@monitor/search';
import { describeStoryStoreContract, storyMember } from '@monitor/search/testing';
import { ensureElasticsearch } from './infra-servers';

jest.setTimeout(120_000);

// A real Elasticsearch at ELASTICSEARCH_URL, started through infra/ when it does not answer. If it
// cannot be had, beforeAll throws and every case fails (never skips).
let client: Client;
beforeAll(async () => {
  client = new Client({ node: (await ensureElasticsearch()).url });
}, 10 * 60_000);
afterAll(async () => {
  await client?.close();
});

const run = randomUUID().slice(0, 8);
let n = 0;
const make = async () => {
  const store = new ElasticStoryStore({ client, prefix: `test-stories-${run}-${++n}` });
  await store.init();
  return store;
};

describeStoryStoreContract('Elasticsearch', {
  create: make,
  dispose: (store: StoryStore) => (store as ElasticStoryStore).drop(),
});

describe('ElasticStoryStore on a real Elasticsearch', () => {
  it('keeps one story per article when two writers race with different decisions', async () => {
    const first = await make();
    const second = new ElasticStoryStore({ client, prefix: `test-stories-${run}-${n}` });
    await second.init();
    try {
      const [a, b] = await Promise.all([
        first.record([storyMember('x1', 's-a'), storyMember('x2', 's-a')]),
        second.record([storyMember('x1', 's-b'), storyMember('x2', 's-b')]),
      ]);
      const stored = await first.storiesOf(['x1', 'x2']);
      for (const recorded of [...a, ...b]) expect(recorded.storyId).toBe(stored.get(recorded.articleId));
      // Each story holds exactly the articles whose membership names it: none is in two.
      for (const storyId of ['s-a', 's-b']) {
        const expected = ['x1', 'x2'].filter((id) => stored.get(id) === storyId);
        const story = await first.get(storyId);
        expect(story?.articles.map((m) => m.id).sort() ?? []).toEqual(expected);
      }
    } finally {
      await first.drop();
    }
  });
});
