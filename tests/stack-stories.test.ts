import { BUS_TOPICS, CONSUMER_GROUPS, ClassifiedArticle, StoryQueueItem, articleIdFromUrl } from '@monitor/contracts';
import { IncomingMessage, publishEvents } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { StoryAssigner } from '@monitor/stories';
import { randomBytes } from 'node:crypto';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { StackApi, expectHealthy } from './support/stack-checks';
import { RunningStack, startStack } from './support/stack-services';
import { groupPartitions, metricValue, testBus } from './support/stack-traffic';

// Two replicas of the story stage (it runs in the indexer service) on one stream of classified
// articles, on the shared Kafka and Elasticsearch under this test's own prefix. One replica at a
// time holds the story queue's one partition; the one holding it is killed (SIGKILL: nothing
// committed on the way out) while articles keep coming, and the other takes over. Every article
// must then be in exactly one story, and the stories must be those one process deciding over the
// queue's order alone would have made: nothing split by the takeover, nothing doubled by replays.
// Texts are written for this test.
const CITIES = [
  ['Bishkek', 'Бишкеке', '比什凯克'],
  ['Dushanbe', 'Душанбе', '杜尚别'],
  ['Tashkent', 'Ташкенте', '塔什干'],
  ['Almaty', 'Алматы', '阿拉木图'],
  ['Islamabad', 'Исламабаде', '伊斯兰堡'],
  ['Tehran', 'Тегеране', '德黑兰'],
  ['Kabul', 'Кабуле', '喀布尔'],
  ['Minsk', 'Минске', '明斯克'],
  ['Vientiane', 'Вьентьяне', '万象'],
  ['Kunming', 'Куньмине', '昆明'],
  ['Yangon', 'Янгоне', '仰光'],
  ['Geneva', 'Женеве', '日内瓦'],
] as const;
const OFF_TOPIC_WORDS = ['grain', 'railway', 'harbour', 'bridge', 'orchestra', 'festival', 'library', 'stadium', 'airport', 'vineyard', 'museum', 'tramway'];

/** Event i reported in English, Russian and Chinese, and an unrelated article i: four articles, in the order they are published. */
function articles(run: string, offset = 0): ClassifiedArticle[] {
  const out: ClassifiedArticle[] = [];
  const make = (n: number, slug: string, language: string, title: string, text: string, topics: ClassifiedArticle['topics']): ClassifiedArticle => {
    const url = `https://stack-stories.example.org/${run}/${offset}-${slug}.html`;
    return {
      schema: 'news.classified.v1',
      id: articleIdFromUrl(url),
      sourceId: `wire-${language}`,
      url,
      title,
      text,
      language,
      publishedAt: new Date(Date.UTC(2026, 10, 1) + (offset + n) * 10 * 60_000).toISOString(),
      fetchedAt: new Date().toISOString(),
      classifiedAt: new Date().toISOString(),
      taxonomyVersion: 'stack-test',
      topics,
    };
  };
  const onTopic = [{ id: 'counter-narcotics-operations' as const, score: 1, evidence: [] }];
  CITIES.forEach(([en, ru, zh], i) => {
    const kg = 300 + 37 * i;
    out.push(make(4 * i, `en-${i}`, 'en', `Police in ${en} seize ${kg} kilograms of heroin`, `Police in ${en} seized ${kg} kilograms of heroin in a raid on a warehouse; ${i + 2} suspects were detained.`, onTopic));
    out.push(make(4 * i + 1, `ru-${i}`, 'ru', `В ${ru} изъято ${kg} килограммов героина`, `Полиция в ${ru} изъяла ${kg} килограммов героина на складе; задержаны ${i + 2} подозреваемых.`, onTopic));
    out.push(make(4 * i + 2, `zh-${i}`, 'zh', `${zh}警方缴获${kg}公斤海洛因`, `${zh}警方在一处仓库缴获${kg}公斤海洛因，${i + 2}名嫌疑人被拘留。`, onTopic));
    const word = OFF_TOPIC_WORDS[i];
    out.push(make(4 * i + 3, `other-${i}`, 'en', `City council votes on the new ${word}`, `The city council voted to build a new ${word} near the old town, to open in ${2028 + i}.`, []));
  });
  return out;
}

interface Story {
  id: string;
  articleCount: number;
  languages: string[];
  sources: string[];
  articles: { id: string }[];
}

describe('stories on the stack with two replicas of the story stage', () => {
  let stack: RunningStack | undefined;
  let bus: KafkaBus | undefined;

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elasticsearch.url,
      services: ['indexer', 'api'],
      replicas: { indexer: 2 },
      env: { KAFKA_SESSION_TIMEOUT_MS: '6000' },
    });
    bus = testBus(kafka.brokers, stack.topicPrefix);
  }, 10 * 60_000);

  afterAll(async () => {
    await bus?.close();
    await stack?.close();
  });

  /** Every story of the api, with its articles. */
  async function allStories(api: StackApi): Promise<Story[]> {
    const stories: Story[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.request(`/stories?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      if (page.status !== 200) throw new Error(`GET /stories answered ${page.status}: ${JSON.stringify(page.body)}`);
      for (const summary of page.body.stories) stories.push((await api.request(`/stories/${summary.id}`)).body);
      cursor = page.body.nextCursor;
    } while (cursor);
    return stories;
  }

  /** The story queue as the broker holds it, in its one partition's order. */
  async function queueOrder(count: number): Promise<StoryQueueItem[]> {
    const read: IncomingMessage[] = [];
    const consumer = await bus!.consume({
      topic: BUS_TOPICS.storyQueue,
      group: `stack-test-reader-${randomBytes(4).toString('hex')}`,
      handleBatch: async (batch) => {
        read.push(...batch);
      },
    });
    try {
      await eventually(async () => new Set(read.map((m) => m.key)).size >= count, 'the whole story queue to be read', 60_000);
    } finally {
      await consumer.stop();
    }
    expect(new Set(read.map((m) => m.partition))).toEqual(new Set([0]));
    return read.sort((a, b) => Number(a.offset) - Number(b.offset)).map((m) => JSON.parse(m.value) as StoryQueueItem);
  }

  it('keeps every story whole and single when the replica holding the queue is killed mid-stream and comes back', async () => {
    try {
      const api = new StackApi(stack!.url('api'), stack!.adminKey);
      await expectHealthy([stack!.url('api'), stack!.url('indexer'), stack!.url('indexer', 1)]);
      const brokers = stack!.env.KAFKA_BROKERS.split(',');
      await eventually(
        async () => {
          const group = await groupPartitions(brokers, stack!.topicPrefix, CONSUMER_GROUPS.storyteller, BUS_TOPICS.storyQueue);
          return group.state === 'Stable' && group.all.length === 1 && group.partitions.length === 2 && group.partitions.filter((p) => p.length > 0).length === 1;
        },
        'one partition in the story queue, held by one of the two replicas while the other stands by',
        60_000,
      );

      const stream = articles(randomBytes(4).toString('hex'));
      const told = () => Promise.all([0, 1].map((replica) => metricValue(stack!.url('indexer', replica), 'monitor_events_processed_total', 'stage="stories"')));
      // A first part, then the rest a few at a time, the holder killed once it has told some.
      await publishEvents(bus!, BUS_TOPICS.classified, stream.slice(0, 12));
      const counts = await eventually(async () => {
        const now = await told();
        return now.some((n) => n > 0) ? now : undefined;
      }, 'the replica holding the queue to assign the first articles', 60_000);
      const holder = counts[0] > 0 ? 0 : 1;
      expect(counts[1 - holder]).toBe(0);
      const rest = stream.slice(12);
      const publishing = (async () => {
        for (let i = 0; i < rest.length; i += 3) {
          await publishEvents(bus!, BUS_TOPICS.classified, rest.slice(i, i + 3));
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 900));
      await stack!.stop('indexer', 'SIGKILL', holder);
      await publishing;

      // The killed replica comes back while the last articles arrive: it stands by, or takes the
      // queue back (and rebuilds its window first); either way nothing may change.
      await eventually(async () => (await metricValue(stack!.url('indexer', 1 - holder), 'monitor_events_processed_total', 'stage="stories"')) > 0, 'the standby to take the queue over', 60_000);
      await stack!.start('indexer', holder);
      const last = articles(randomBytes(4).toString('hex'), stream.length).slice(0, 8);
      for (let i = 0; i < last.length; i += 2) {
        await publishEvents(bus!, BUS_TOPICS.classified, last.slice(i, i + 2));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      stream.push(...last);

      const ids = new Set(stream.map((a) => a.id));
      const stories = await eventually(
        async () => {
          const found = await allStories(api);
          return found.reduce((n, s) => n + s.articleCount, 0) >= ids.size ? found : undefined;
        },
        'the standby to take the queue over and assign every article',
        120_000,
      );

      // Each article in exactly one story; no story listed twice.
      expect(new Set(stories.map((s) => s.id)).size).toBe(stories.length);
      const storyOf = new Map<string, string>();
      for (const story of stories) {
        expect(story.articles).toHaveLength(story.articleCount);
        for (const article of story.articles) {
          expect(storyOf.get(article.id)).toBeUndefined();
          storyOf.set(article.id, story.id);
        }
      }
      expect(new Set(storyOf.keys())).toEqual(ids);

      // Each indexed article carries the story it is in, whichever of indexer and story stage came second.
      await eventually(
        async () => {
          const carried = await Promise.all([...ids].map(async (id) => (await api.request(`/articles/${id}`)).body?.storyId));
          return carried.every((storyId, i) => storyId === storyOf.get([...ids][i]));
        },
        'every indexed article to carry its story id',
        60_000,
      );

      // Search collapsed by story (Elasticsearch field collapsing): one row per story, counted whole.
      // Searches see a story id written by the story stage after the index's next refresh, so the
      // counts are waited for as well as the rows.
      type Row = { article: { language: string }; story: { id: string; articleCount: number; languages: string[]; sourceCount: number } };
      const summaryOf = (story: (typeof stories)[number]) => ({ articleCount: story.articleCount, languages: [...story.languages].sort(), sourceCount: story.sources.length });
      const countedWhole = (hit: Row): boolean => {
        const story = stories.find((s) => s.id === hit.story?.id);
        return story !== undefined && JSON.stringify({ articleCount: hit.story.articleCount, languages: hit.story.languages, sourceCount: hit.story.sourceCount }) === JSON.stringify(summaryOf(story));
      };
      const rows = await eventually(async () => {
        const result = await api.request(`/search?collapse=story&size=100`);
        return result.body?.total === stories.length && (result.body.hits as Row[]).every(countedWhole) ? result.body : undefined;
      }, 'one search row per story, counted whole', 30_000).catch(async (error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify((await api.request('/search?collapse=story&size=100')).body?.hits?.map((hit: Row) => hit.story))}`);
      });
      expect(rows.hits.map((hit: { story?: { id: string } }) => hit.story?.id).sort()).toEqual(stories.map((story) => story.id).sort());
      for (const hit of rows.hits as Row[]) expect(hit.story).toMatchObject(summaryOf(stories.find((s) => s.id === hit.story.id)!));

      // The same stories one process would have made over the queue's order.
      const reference = new StoryAssigner();
      const expected = new Map<string, string>();
      for (const item of await queueOrder(ids.size)) {
        if (expected.has(item.id)) continue;
        const topics = [...new Set(item.topics.map((topic) => topic.id))];
        const assigned = reference.assign({ ...item, topics, publishedAt: Date.parse(item.publishedAt ?? item.fetchedAt) });
        expected.set(item.id, assigned.story.id);
      }
      expect(storyOf).toEqual(expected);
      // And the reports of one seizure in three languages did come together somewhere.
      expect(stories.some((s) => s.articleCount >= 3)).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  }, 6 * 60_000);
});
