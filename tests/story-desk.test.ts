import Database from 'better-sqlite3';
import { StoryAssigned, StoryQueueItem, TopicId, articleIdFromUrl } from '@monitor/contracts';
import { SqliteStoryStore } from '@monitor/search-sqlite';
import { QueuedArticle, StoryDesk } from '@monitor/stories-stage';
import { EntityFinder, loadGazetteer } from '@monitor/stories';

// The story desk over a real story store (SQLite in memory): what a replica that takes the queue
// over, or replays a batch, decides must be what one process reading the queue once decides.
// Texts are written for this test.
const finder = new EntityFinder(loadGazetteer());
const hour = 3600_000;
const item = (slug: string, language: string, title: string, text: string, hours: number, topics: TopicId[] = ['anti-drug-cooperation']): StoryQueueItem => {
  const url = `https://desk.example.org/${slug}`;
  const publishedAt = new Date(Date.UTC(2026, 10, 3) + hours * hour).toISOString();
  return {
    schema: 'stories.queue.v1',
    id: articleIdFromUrl(url),
    sourceId: `wire-${language}`,
    url,
    title,
    text,
    language,
    publishedAt,
    fetchedAt: publishedAt,
    classifiedAt: publishedAt,
    taxonomyVersion: 'test',
    topics: topics.map((id) => ({ id, score: 3, evidence: [] })),
  };
};
const STREAM: StoryQueueItem[] = [
  item('en-meeting', 'en', 'SCO drug-control chiefs hold 15th meeting in Bishkek', 'Heads of the drug-control agencies of the SCO member states met in Bishkek for their 15th meeting and adopted a joint plan for 2027-2029.', 0),
  item('en-port', 'en', 'Dutch customs find 2.3 tonnes of cocaine at Rotterdam', 'Customs officers at the port of Rotterdam seized 2.3 tonnes of cocaine hidden among bananas shipped from Ecuador.', 1, ['counter-narcotics-operations']),
  item('ru-meeting', 'ru', 'В Бишкеке прошло 15-е совещание руководителей антинаркотических ведомств ШОС', 'Руководители антинаркотических ведомств государств — членов ШОС провели в Бишкеке 15-е совещание и утвердили план на 2027-2029 годы.', 2),
  item('zh-meeting', 'zh', '上合组织成员国禁毒部门领导人第十五次会议在比什凯克举行', '上海合作组织成员国禁毒部门领导人第十五次会议在比什凯克举行，会议通过了2027-2029年合作计划。', 3),
  item('en-port-2', 'en', 'Rotterdam cocaine haul: two dock workers arrested', 'Two dock workers were arrested after customs at the port of Rotterdam found 2.3 tonnes of cocaine among bananas from Ecuador.', 4, ['counter-narcotics-operations']),
];
const queued = (from: number, to: number): QueuedArticle[] => STREAM.slice(from, to).map((it, i) => ({ item: it, partition: 0, offset: String(from + i) }));
const placed = (events: StoryAssigned[]) => events.map((e) => [e.articleId, e.storyId, e.created]);

async function freshStore(db = new Database(':memory:')): Promise<SqliteStoryStore> {
  const store = new SqliteStoryStore({ db });
  await store.init();
  return store;
}

/** What one desk decides reading the whole queue in one go, with nothing going wrong. */
async function oneReading(): Promise<StoryAssigned[]> {
  return new StoryDesk(await freshStore(), { finder }).assign(queued(0, STREAM.length));
}

describe('StoryDesk over a real story store', () => {
  it('groups the reports of one event and tells which article opened each story', async () => {
    const events = await oneReading();
    const [meeting, port, ru, zh, port2] = events;
    expect(meeting.created && port.created).toBe(true);
    expect([ru.storyId, zh.storyId, ru.created, zh.created]).toEqual([meeting.storyId, meeting.storyId, false, false]);
    expect([port2.storyId, port2.created]).toEqual([port.storyId, false]);
    expect(zh.story).toMatchObject({ id: meeting.storyId, articleCount: 3, languages: ['en', 'ru', 'zh'] });
    // Each event carries its article as classified (scores and all), for the alerts on stories.
    expect(zh.article).toEqual((({ schema: _schema, ...article }) => article)(STREAM[3]));
  });

  it('decides as one reading when another process takes the queue over and when it gets it back', async () => {
    const store = await freshStore();
    const rebuilt: number[] = [];
    const first = new StoryDesk(store, { finder, onRebuilt: (n) => rebuilt.push(n) });
    const second = new StoryDesk(store, { finder, onRebuilt: (n) => rebuilt.push(n) });
    const events = [...(await first.assign(queued(0, 2))), ...(await second.assign(queued(2, 4))), ...(await first.assign(queued(4, 5)))];
    expect(placed(events)).toEqual(placed(await oneReading()));
    // Each desk rebuilt when it could not be sure it had seen everything: at start, and the first
    // again when its next batch did not start where its last ended.
    expect(rebuilt).toEqual([0, 2, 4]);
  });

  it('replays a batch the store refused with the same decisions, doubling nothing', async () => {
    const db = new Database(':memory:');
    const store = await freshStore(db);
    const desk = new StoryDesk(store, { finder });
    const before = await desk.assign(queued(0, 2));
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON story_members WHEN NEW.article_id = '${STREAM[3].id}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(desk.assign(queued(2, 5))).rejects.toThrow('disk full');
    db.exec('DROP TRIGGER refuse');
    const replayed = await desk.assign(queued(2, 5));
    expect(placed([...before, ...replayed])).toEqual(placed(await oneReading()));
    // A batch read twice (the commit was lost) says the same again.
    expect(placed(await desk.assign(queued(2, 5)))).toEqual(placed(replayed));
    expect((await store.get(replayed[1].storyId))!.articleCount).toBe(3);
    expect((await store.list({})).stories.map((s) => s.articleCount).sort()).toEqual([2, 3]);
  });

  it('keeps the story of an article that comes through the queue again later, and of a repeat within a batch', async () => {
    const store = await freshStore();
    const desk = new StoryDesk(store, { finder });
    const first = await desk.assign(queued(0, 3));
    const again: QueuedArticle[] = [
      { item: { ...STREAM[0], title: 'SCO meeting in Bishkek: updated', topics: [{ id: 'precursors', score: 2, evidence: [] }] }, partition: 0, offset: '3' },
      { item: STREAM[0], partition: 0, offset: '4' },
    ];
    const repeated = await desk.assign(again);
    expect(repeated.map((e) => [e.storyId, e.created])).toEqual([[first[0].storyId, true], [first[0].storyId, true]]);
    expect((await store.get(first[0].storyId))!.articleCount).toBe(2);
  });
});
