import { BUS_TOPICS, CONSUMER_GROUPS, ClassifiedArticle, articleIdFromUrl } from '@monitor/contracts';
import { publishEvents } from '@monitor/messaging';
import { KafkaBus } from '@monitor/messaging-kafka';
import { randomBytes } from 'node:crypto';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { eventually } from './support/monitor-process';
import { StackApi, expectHealthy } from './support/stack-checks';
import { RunningStack, startStack } from './support/stack-services';
import { groupPartitions, metricValue, testBus } from './support/stack-traffic';

// Alerts per story on the stack, with two alerter replicas in the story-alerter group on
// stories.v1 (keyed by article, so the reports of one story fall in different partitions, held by
// different replicas, and race): one `story` alert per (subscription, story) whichever replica
// matched first, `story.updated` once per later article only for the subscription that asked, and
// a per-article subscription still alerted once per article. Texts are written for this test.
const CITIES = [
  ['Bishkek', 'Бишкеке', '比什凯克'],
  ['Dushanbe', 'Душанбе', '杜尚别'],
  ['Tashkent', 'Ташкенте', '塔什干'],
  ['Almaty', 'Алматы', '阿拉木图'],
  ['Islamabad', 'Исламабаде', '伊斯兰堡'],
  ['Kunming', 'Куньмине', '昆明'],
] as const;

/** The seizure in each city reported in English, Russian and Chinese, in the order published. */
function articles(run: string): ClassifiedArticle[] {
  const topics = [{ id: 'counter-narcotics-operations' as const, score: 2, evidence: [] }];
  return CITIES.flatMap(([en, ru, zh], i) => {
    const kg = 410 + 23 * i;
    const reports: Array<[string, string, string]> = [
      ['en', `Police in ${en} seize ${kg} kilograms of heroin`, `Police in ${en} seized ${kg} kilograms of heroin in a raid on a warehouse; ${i + 2} suspects were detained.`],
      ['ru', `В ${ru} изъято ${kg} килограммов героина`, `Полиция в ${ru} изъяла ${kg} килограммов героина на складе; задержаны ${i + 2} подозреваемых.`],
      ['zh', `${zh}警方缴获${kg}公斤海洛因`, `${zh}警方在一处仓库缴获${kg}公斤海洛因，${i + 2}名嫌疑人被拘留。`],
    ];
    return reports.map(([language, title, text], j): ClassifiedArticle => {
      const url = `https://stack-story-alerts.example.org/${run}/${i}-${language}.html`;
      return {
        schema: 'news.classified.v1', id: articleIdFromUrl(url), sourceId: `wire-${language}`, url, title, text, language,
        publishedAt: new Date(Date.UTC(2026, 10, 1) + (3 * i + j) * 10 * 60_000).toISOString(),
        fetchedAt: new Date().toISOString(), classifiedAt: new Date().toISOString(), taxonomyVersion: 'stack-test', topics,
      };
    });
  });
}

interface LedgerAlert {
  seq: number;
  kind: string;
  subscriptionId: string;
  articleId?: string;
  storyId?: string;
}

describe('alerts per story on the stack with two alerter replicas', () => {
  let stack: RunningStack | undefined;
  let bus: KafkaBus | undefined;

  beforeAll(async () => {
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    stack = await startStack({ brokers: kafka.brokers, elasticsearchUrl: elasticsearch.url, services: ['indexer', 'alerter', 'api'], replicas: { alerter: 2 } });
    bus = testBus(kafka.brokers, stack.topicPrefix);
  }, 10 * 60_000);

  afterAll(async () => {
    await bus?.close();
    await stack?.close();
  });

  it('records one story alert per subscription and story, updates only when asked, and per-article alerts per article', async () => {
    try {
      const api = new StackApi(stack!.url('api'), stack!.adminKey);
      await expectHealthy([stack!.url('api'), stack!.url('indexer'), stack!.url('alerter'), stack!.url('alerter', 1)]);
      const brokers = stack!.env.KAFKA_BROKERS.split(',');
      await eventually(
        async () => {
          const group = await groupPartitions(brokers, stack!.topicPrefix, CONSUMER_GROUPS.storyAlerter, BUS_TOPICS.stories);
          return group.state === 'Stable' && group.partitions.length === 2 && group.partitions.every((p) => p.length > 0);
        },
        'both alerter replicas to hold partitions of stories.v1',
        60_000,
      );

      const minted = await api.request('/admin/keys', { method: 'POST', key: stack!.adminKey, body: { name: 'story analyst' } });
      expect(minted.status).toBe(201);
      const key: string = minted.body.key;
      const subscribe = async (body: object) => {
        const created = await api.request('/subscriptions', { method: 'POST', key, body: { topics: ['counter-narcotics-operations'], ...body } });
        expect(created.status).toBe(201);
        return created.body.id as string;
      };
      const perStory = await subscribe({ name: 'stories' });
      const withUpdates = await subscribe({ name: 'stories and updates', storyUpdates: true });
      const perArticle = await subscribe({ name: 'articles', per: 'article' });

      const stream = articles(randomBytes(4).toString('hex'));
      await publishEvents(bus!, BUS_TOPICS.classified, stream);

      // The stories as decided, with their articles.
      const storyOf = await eventually(
        async () => {
          const found = new Map<string, string>();
          for (const article of stream) {
            const storyId = (await api.request(`/articles/${article.id}`)).body?.storyId;
            if (!storyId) return undefined;
            found.set(article.id, storyId);
          }
          return found;
        },
        'every article to be indexed with its story',
        120_000,
      );
      const stories = new Set(storyOf.values());
      const articleCount = stream.length;

      const ledger = async () => (await api.ledger(key)) as unknown as LedgerAlert[];
      const of = (all: LedgerAlert[], subscriptionId: string, kind: string) => all.filter((a) => a.subscriptionId === subscriptionId && a.kind === kind);
      const all = await eventually(
        async () => {
          const now = await ledger();
          const done =
            of(now, perArticle, 'article').length >= articleCount &&
            of(now, withUpdates, 'story.updated').length >= articleCount - stories.size &&
            of(now, perStory, 'story').length >= stories.size;
          return done ? now : undefined;
        },
        'every alert on the stories',
        120_000,
      );

      for (const subscriptionId of [perStory, withUpdates]) {
        const storyAlerts = of(all, subscriptionId, 'story');
        expect(storyAlerts.map((a) => a.storyId).sort()).toEqual([...stories].sort());
        for (const alert of storyAlerts) expect(storyOf.get(alert.articleId!)).toBe(alert.storyId);
      }
      expect(of(all, perStory, 'story.updated')).toEqual([]);
      expect(all.filter((a) => a.subscriptionId === perArticle).map((a) => a.kind)).toEqual(stream.map(() => 'article'));
      expect(new Set(of(all, perArticle, 'article').map((a) => a.articleId))).toEqual(new Set(stream.map((a) => a.id)));

      // Every article of a story but the one its story alert names is an update, once.
      const opened = new Set(of(all, withUpdates, 'story').map((a) => a.articleId));
      const updated = of(all, withUpdates, 'story.updated');
      expect(updated.map((a) => a.articleId).sort()).toEqual(stream.map((a) => a.id).filter((id) => !opened.has(id)).sort());
      for (const alert of updated) expect(alert.storyId).toBe(storyOf.get(alert.articleId!));

      // Both replicas did some of the matching on stories.v1.
      for (const replica of [0, 1]) {
        expect(await metricValue(stack!.url('alerter', replica), 'monitor_events_processed_total', 'stage="story-alerter"')).toBeGreaterThan(0);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack?.output() ?? ''}`);
    }
  }, 6 * 60_000);
});
