import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startWebhookReceiver } from '@monitor/alerts/testing';
import { MonitorProcess, eventually, startMonitor } from './support/monitor-process';
import { SseClient } from './support/sse-client';

jest.setTimeout(120_000);

// Stories in the embedded monitor end to end: three feeds (English, Russian, Chinese) reporting
// one meeting, and an unrelated seizure, through the real pipeline (collector, classifier, story
// stage) to GET /stories. Texts are written for this test.
interface Item {
  path: string;
  title: string;
  text: string;
  date: string;
}
const FEEDS: Record<string, Item[]> = {
  '/en.xml': [
    {
      path: '/en/sco-meeting.html',
      title: 'SCO drug-control chiefs hold 15th meeting in Bishkek',
      text: 'Heads of the drug-control agencies of the SCO member states met in Bishkek for their 15th meeting and adopted a joint plan against heroin and synthetic drug trafficking for 2027-2029.',
      date: 'Tue, 03 Nov 2026 08:00:00 GMT',
    },
    {
      path: '/en/rotterdam.html',
      title: 'Dutch customs find 2.3 tonnes of cocaine in banana containers at Rotterdam',
      text: 'Customs officers at the port of Rotterdam seized 2.3 tonnes of cocaine hidden among bananas shipped from Ecuador; two dock workers were arrested.',
      date: 'Tue, 03 Nov 2026 09:00:00 GMT',
    },
  ],
  '/ru.xml': [
    {
      path: '/ru/shos-bishkek.html',
      title: 'В Бишкеке прошло 15-е совещание руководителей антинаркотических ведомств ШОС',
      text: 'Руководители компетентных органов государств — членов ШОС по борьбе с незаконным оборотом наркотиков провели в Бишкеке 15-е совещание и утвердили совместный план на 2027-2029 годы.',
      date: 'Tue, 03 Nov 2026 11:00:00 GMT',
    },
  ],
  '/zh.xml': [
    {
      path: '/zh/sco-bishkek.html',
      title: '上合组织成员国禁毒部门领导人第十五次会议在比什凯克举行',
      text: '上海合作组织成员国禁毒部门领导人第十五次会议在吉尔吉斯斯坦首都比什凯克举行，会议通过了2027-2029年禁毒合作计划。',
      date: 'Tue, 03 Nov 2026 13:00:00 GMT',
    },
  ],
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const rss = (items: Item[], base: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>${base}</link>${items
    .map((item) => `<item><title>${escape(item.title)}</title><link>${base}${item.path}</link><description>${escape(item.text)}</description><pubDate>${item.date}</pubDate></item>`)
    .join('')}</channel></rss>`;

interface StorySummary {
  id: string;
  title: string;
  articleCount: number;
  languages: string[];
  sources: string[];
  firstSeen: string;
  lastSeen: string;
}

describe('stories in the embedded monitor', () => {
  let feedServer: Server;
  let feedBase: string;
  let dataDir: string;
  let monitor: MonitorProcess | undefined;
  const adminKey = 'test-admin-key-0123456789abcdef';
  // One analyst with three subscriptions to every topic: per story (the default), per story with
  // updates, and per article; each with a webhook, all on one SSE stream, made before any poll.
  let hooks: Record<'story' | 'updates' | 'article', Awaited<ReturnType<typeof startWebhookReceiver>>>;
  const subscriptionIds: Record<string, string> = {};
  let stream: SseClient | undefined;

  beforeAll(async () => {
    feedServer = createServer((req, res) => {
      const items = FEEDS[req.url ?? ''];
      if (items) res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(rss(items, feedBase));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-stories-'));
    const sourcesFile = join(dataDir, 'sources.yaml');
    const source = (id: string, language: string, path: string) => ({
      id, name: id, organisation: 'Test', language, enabled: true, pollIntervalMinutes: 60, candidates: [{ url: `${feedBase}${path}`, kind: 'feed' }],
    });
    writeFileSync(sourcesFile, JSON.stringify({ sources: [source('wire-en', 'en', '/en.xml'), source('wire-ru', 'ru', '/ru.xml'), source('wire-zh', 'zh', '/zh.xml')] }));
    monitor = await startMonitor({
      DATA_DIR: dataDir, SOURCES_FILE: sourcesFile, ADMIN_API_KEY: adminKey, ALLOW_PRIVATE_FEED_HOSTS: new URL(feedBase).host, ALLOW_PRIVATE_WEBHOOK_HOSTS: '127.0.0.1', POLLING: 'false',
    });

    hooks = { story: await startWebhookReceiver(), updates: await startWebhookReceiver(), article: await startWebhookReceiver() };
    const minted = await api('/admin/keys', { method: 'POST', key: adminKey, body: JSON.stringify({ name: 'story analyst' }) });
    expect(minted.status).toBe(201);
    const analystKey: string = minted.body.key;
    const bodies = {
      story: { name: 'stories' },
      updates: { name: 'stories and updates', storyUpdates: true },
      article: { name: 'articles', per: 'article' },
    };
    for (const [name, body] of Object.entries(bodies)) {
      const created = await api('/subscriptions', { method: 'POST', key: analystKey, body: JSON.stringify({ ...body, channels: { webhook: { url: hooks[name as keyof typeof hooks].url } } }) });
      expect(created.status).toBe(201);
      subscriptionIds[name] = created.body.id;
    }
    expect((await api(`/subscriptions/${subscriptionIds.story}`, { key: analystKey })).body).toMatchObject({ per: 'story', storyUpdates: false });
    stream = await SseClient.connect(`${monitor.baseUrl}/alerts/stream`, { 'X-API-Key': analystKey });
  });

  afterAll(async () => {
    stream?.close();
    await Promise.all(Object.values(hooks ?? {}).map((hook) => hook.close()));
    await monitor?.stop();
    feedServer?.closeAllConnections();
    await new Promise((resolve) => feedServer?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers: Record<string, string> = { ...(init.key ? { 'X-API-Key': init.key } : {}), ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
    const response = await fetch(`${monitor!.baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('puts the English, Russian and Chinese reports of one meeting in one story, and the seizure in its own', async () => {
    for (const id of ['wire-en', 'wire-ru', 'wire-zh']) expect((await api(`/sources/${id}/poll`, { method: 'POST', key: adminKey })).status).toBe(200);

    const listed = await eventually(async () => {
      const result = await api('/stories');
      const stories: StorySummary[] = result.body?.stories ?? [];
      return stories.reduce((n, s) => n + s.articleCount, 0) === 4 ? stories : undefined;
    }, 'all four articles to be in stories', 60_000);
    expect(listed).toHaveLength(2);
    const meeting = listed.find((s) => s.languages.length > 1)!;
    expect(meeting).toMatchObject({ title: FEEDS['/en.xml'][0].title, articleCount: 3, languages: ['en', 'ru', 'zh'], sources: ['wire-en', 'wire-ru', 'wire-zh'] });
    expect(meeting.firstSeen).toBe('2026-11-03T08:00:00.000Z');
    expect(meeting.lastSeen).toBe('2026-11-03T13:00:00.000Z');
    const seizure = listed.find((s) => s !== meeting)!;
    expect(seizure).toMatchObject({ title: FEEDS['/en.xml'][1].title, articleCount: 1, languages: ['en'] });
    // Latest report first: the meeting's Chinese report is the latest of all.
    expect(listed.map((s) => s.id)).toEqual([meeting.id, seizure.id]);

    const opened = await api(`/stories/${meeting.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.articles.map((a: { url: string; language: string }) => [a.language, a.url])).toEqual([
      ['en', `${feedBase}/en/sco-meeting.html`],
      ['ru', `${feedBase}/ru/shos-bishkek.html`],
      ['zh', `${feedBase}/zh/sco-bishkek.html`],
    ]);

    // Each indexed article knows its story.
    for (const article of opened.body.articles) {
      const stored = await eventually(async () => {
        const result = await api(`/articles/${article.id}`);
        return result.body?.storyId ? result.body : undefined;
      }, `article ${article.id} to carry its story id`);
      expect(stored.storyId).toBe(meeting.id);
    }

    expect((await api('/stories?languages=zh')).body.stories.map((s: StorySummary) => s.id)).toEqual([meeting.id]);
    expect((await api('/stories?from=2026-11-03T10:00:00Z')).body.stories.map((s: StorySummary) => s.id)).toEqual([meeting.id]);
    const first = await api('/stories?limit=1');
    expect(first.body.stories.map((s: StorySummary) => s.id)).toEqual([meeting.id]);
    const second = await api(`/stories?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ stories: [expect.objectContaining({ id: seizure.id })], nextCursor: null });

    // A re-poll brings the same articles again: nothing is doubled.
    for (const id of ['wire-en', 'wire-ru']) expect((await api(`/sources/${id}/poll`, { method: 'POST', key: adminKey })).status).toBe(200);
    expect((await api(`/stories/${meeting.id}`)).body.articleCount).toBe(3);
  });

  it('alerts a per-story subscription once for the story, with updates only when asked, and a per-article one for each report', async () => {
    const meeting = (await api('/stories?languages=zh')).body.stories[0] as StorySummary;
    const opened = await api(`/stories/${meeting.id}`);
    const meetingArticles: string[] = opened.body.articles.map((a: { id: string }) => a.id);
    expect(meetingArticles).toHaveLength(3);
    type Sent = { event: string; alert: { kind: string; subscriptionId: string; storyId?: string; articleId?: string; story?: StorySummary; url?: string } };
    const sent = (): Sent[] => stream!.events.map((e) => ({ event: e.event ?? 'message', alert: JSON.parse(e.data) }));
    const about = (name: string) => sent().filter(({ alert }) => alert.subscriptionId === subscriptionIds[name] && (alert.storyId === meeting.id || meetingArticles.includes(alert.articleId ?? '')));
    const hooked = (name: keyof typeof hooks) =>
      hooks[name].received.map((r) => r.body as { type: string; alert: Sent['alert'] }).filter(({ alert }) => alert.storyId === meeting.id || meetingArticles.includes(alert.articleId ?? ''));

    // The updates come last (the later reports of the story); once they are in, so is everything before them.
    await eventually(async () => about('updates').length >= 3 && about('article').length >= 3 && hooked('updates').length >= 3 && hooked('story').length >= 1 && hooked('article').length >= 3, 'the alerts on the meeting', 60_000);

    const story = about('story');
    expect(story).toHaveLength(1);
    expect(story[0]).toMatchObject({ event: 'alert', alert: { kind: 'story', storyId: meeting.id, story: { id: meeting.id } } });
    // It names the report that first matched (whichever partition of stories.v1 came first) and links it.
    const opener = opened.body.articles.find((a: { id: string }) => a.id === story[0].alert.articleId);
    expect(story[0].alert.url).toBe(opener.url);
    expect(hooked('story').map((h) => [h.type, h.alert.kind])).toEqual([['alert', 'story']]);

    // The story alert comes first (an update is recorded only once it exists), then one update for each other report.
    const updates = about('updates');
    expect(updates.map((u) => [u.event, u.alert.kind])).toEqual([
      ['alert', 'story'],
      ['story.updated', 'story.updated'],
      ['story.updated', 'story.updated'],
    ]);
    expect(new Set(updates.map((u) => u.alert.articleId))).toEqual(new Set(meetingArticles));
    expect(hooked('updates').map((h) => h.type).sort()).toEqual(['alert', 'story.updated', 'story.updated']);

    const articles = about('article');
    expect(articles.map((a) => a.alert.kind)).toEqual(['article', 'article', 'article']);
    expect(new Set(articles.map((a) => a.alert.articleId))).toEqual(new Set(meetingArticles));
    expect(hooked('article')).toHaveLength(3);

    // stories.v1 is read now, by the story alerter: every story.assigned committed, so the bus may
    // prune them like the messages of the other topics.
    const db = new Database(join(dataDir, 'monitor.db'), { readonly: true });
    try {
      const behind = () =>
        db
          .prepare(
            `SELECT m.partition, MAX(m.offset) + 1 AS ending, o.committed FROM bus_messages m
             LEFT JOIN bus_offsets o ON o.topic = m.topic AND o.partition = m.partition AND o.grp = 'story-alerter'
             WHERE m.topic = 'stories.v1' GROUP BY m.partition`,
          )
          .all() as Array<{ partition: number; ending: number; committed: number | null }>;
      expect(behind().length).toBeGreaterThan(0);
      await eventually(async () => behind().every((row) => row.committed === row.ending), 'the story alerter to commit all of stories.v1');
    } finally {
      db.close();
    }
  });

  it('collapses search by story: one row for the meeting, saying where else it was reported', async () => {
    const meeting = (await api('/stories?languages=ru')).body.stories[0] as StorySummary;
    const plain = await api('/search?sort=date');
    expect(plain.body.total).toBe(4);
    const rows = await api('/search?sort=date&collapse=story');
    expect(rows.status).toBe(200);
    expect(rows.body.total).toBe(2);
    // By date the newest report stands for the meeting: the Chinese one.
    expect(rows.body.hits.map((hit: { article: { title: string } }) => hit.article.title)).toEqual([FEEDS['/zh.xml'][0].title, FEEDS['/en.xml'][1].title]);
    expect(rows.body.hits[0].story).toEqual({ id: meeting.id, articleCount: 3, languages: ['en', 'ru', 'zh'], otherLanguages: ['en', 'ru'], sourceCount: 3 });
    // Searched in English, the English report stands for it, and the story is still counted whole.
    const english = await api('/search?q=Bishkek&collapse=story');
    expect(english.body.total).toBe(1);
    expect(english.body.hits[0].story).toMatchObject({ id: meeting.id, otherLanguages: ['ru', 'zh'], sourceCount: 3 });
    const bad = await api('/search?collapse=source');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('collapse');
  });

  it('answers a bad request with the parameter named, and an unknown story with 404', async () => {
    const bad = await api('/stories?limit=0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('limit');
    expect((await api('/stories?cursor=nonsense')).status).toBe(400);
    expect((await api('/stories?colour=red')).status).toBe(400);
    expect((await api('/stories/not-a-story')).status).toBe(400);
    expect((await api('/stories/story-00000000000000000000')).status).toBe(404);
  });
});
