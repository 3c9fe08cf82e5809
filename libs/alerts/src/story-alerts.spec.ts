import { ClassifiedArticle, StoryAssigned, parseEvent } from '@monitor/contracts';
import { AlertService, storySubjectId } from './alert-service';
import { alertIdFor } from './alert-id';
import { SubscriptionMatcher } from './subscription-matcher';
import { MemoryAlertLedger } from './testing/memory-alert-ledger';
import { MemorySubscriptionStore } from './testing/memory-subscription.store';
import { sampleArticle } from './testing/sample-articles';

// Alerts per story: one story, three reports of it (en, ru, zh), and the subscriptions that see it.
const STORY = 'st-bishkek-meeting';
const reports = [
  sampleArticle({ url: 'https://wire.example.org/en/1', language: 'en', sourceId: 'wire-en', title: 'SCO drug-control chiefs meet in Bishkek' }),
  sampleArticle({ url: 'https://wire.example.org/ru/1', language: 'ru', sourceId: 'wire-ru', title: 'Совещание ШОС в Бишкеке' }),
  sampleArticle({ url: 'https://wire.example.org/zh/1', language: 'zh', sourceId: 'wire-zh', title: '上合组织会议在比什凯克举行' }),
];

/** The story.assigned event of the n-th report, the story as it stood once that report joined it. */
function assigned(n: number, article: ClassifiedArticle = reports[n]): StoryAssigned {
  const { schema: _schema, ...rest } = article;
  const members = reports.slice(0, n + 1);
  return parseEvent('stories.v1', {
    schema: 'stories.v1',
    type: 'story.assigned',
    id: article.id,
    articleId: article.id,
    storyId: STORY,
    created: n === 0,
    story: {
      id: STORY, title: reports[0].title, articleCount: n + 1, languages: members.map((a) => a.language), sources: members.map((a) => a.sourceId),
      topics: ['counter-narcotics-operations'], firstSeen: '2025-03-01T08:00:00Z', lastSeen: '2025-03-01T08:00:00Z',
    },
    article: rest,
  });
}

function service(subscriptions: MemorySubscriptionStore, ledger: MemoryAlertLedger): AlertService {
  return new AlertService({ matcher: SubscriptionMatcher.fromStore(subscriptions), ledger, subscriptions, now: () => new Date('2025-03-01T10:00:00Z') });
}

describe('alerts per story (AlertService.handleStories)', () => {
  let subscriptions: MemorySubscriptionStore;
  let ledger: MemoryAlertLedger;
  beforeEach(() => {
    subscriptions = new MemorySubscriptionStore();
    ledger = new MemoryAlertLedger();
  });

  it('raises one story alert per subscription and story, leaves per-article subscriptions to the classified path', async () => {
    const perStory = await subscriptions.create('k1', {});
    const perArticle = await subscriptions.create('k2', { per: 'article' });
    const alerter = service(subscriptions, ledger);

    const first = await alerter.handleStories([assigned(0)]);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      id: alertIdFor(perStory.id, storySubjectId(STORY)), kind: 'story', subscriptionId: perStory.id, storyId: STORY,
      articleId: reports[0].id, url: reports[0].url, story: { id: STORY, articleCount: 1 },
    });
    expect(await alerter.handleStories([assigned(1), assigned(2)])).toEqual([]);
    // A redelivery of all three raises nothing either.
    expect(await alerter.handleStories([0, 1, 2].map((n) => assigned(n)))).toEqual([]);

    const classified = await alerter.handleClassified(reports);
    expect(classified.map((a) => [a.kind, a.subscriptionId])).toEqual(reports.map(() => ['article', perArticle.id]));
    expect((await ledger.forSubscription(perStory.id)).map((e) => e.alert.kind)).toEqual(['story']);
  });

  it('raises one story.updated per later article when the subscription asked for updates, once', async () => {
    const updates = await subscriptions.create('k1', { storyUpdates: true });
    const quiet = await subscriptions.create('k1', {});
    const alerter = service(subscriptions, ledger);
    // One batch holding the whole story: its first article opens it, the others update it.
    const raised = await alerter.handleStories([0, 1, 2].map((n) => assigned(n)));
    expect(raised.map((a) => [a.subscriptionId, a.kind, a.articleId]).sort()).toEqual(
      [
        [updates.id, 'story', reports[0].id],
        [updates.id, 'story.updated', reports[1].id],
        [updates.id, 'story.updated', reports[2].id],
        [quiet.id, 'story', reports[0].id],
      ].sort(),
    );
    const update = raised.find((a) => a.articleId === reports[2].id)!;
    expect(update).toMatchObject({ id: alertIdFor(updates.id, `story:${STORY}:${reports[2].id}`), storyId: STORY, story: { articleCount: 3, languages: ['en', 'ru', 'zh'] } });
    expect(await alerter.handleStories([0, 1, 2].map((n) => assigned(n)))).toEqual([]);
  });

  it('opens the story alert with the first article that matches, not the first of the story', async () => {
    const russian = await subscriptions.create('k1', { languages: ['ru'], storyUpdates: true });
    const alerter = service(subscriptions, ledger);
    expect(await alerter.handleStories([assigned(0)])).toEqual([]);
    expect((await alerter.handleStories([assigned(1)])).map((a) => [a.kind, a.articleId, a.subscriptionId])).toEqual([['story', reports[1].id, russian.id]]);
    expect(await alerter.handleStories([assigned(2)])).toEqual([]);
  });

  it('two replicas racing on two articles of one story record one story alert, and the loser an update when asked', async () => {
    const updates = await subscriptions.create('k1', { storyUpdates: true });
    const quiet = await subscriptions.create('k1', {});
    const a = service(subscriptions.sibling(), ledger.sibling());
    const b = service(subscriptions.sibling(), ledger.sibling());
    const [fromA, fromB] = await Promise.all([a.handleStories([assigned(0)]), b.handleStories([assigned(1)])]);
    const all = [...fromA, ...fromB];
    for (const subscription of [updates, quiet]) {
      expect(all.filter((x) => x.subscriptionId === subscription.id && x.kind === 'story')).toHaveLength(1);
    }
    const story = all.find((x) => x.subscriptionId === updates.id && x.kind === 'story')!;
    const update = all.filter((x) => x.subscriptionId === updates.id && x.kind === 'story.updated');
    expect(update.map((x) => x.articleId)).toEqual([reports.slice(0, 2).find((r) => r.id !== story.articleId)!.id]);
    expect(all.filter((x) => x.subscriptionId === quiet.id)).toHaveLength(1);
    expect((await ledger.forSubscription(updates.id)).map((e) => e.alert.kind).sort()).toEqual(['story', 'story.updated']);
  });
});
