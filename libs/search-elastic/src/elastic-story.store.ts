import { Client, errors, estypes } from '@elastic/elasticsearch';
import { StorySummary, TopicId } from '@monitor/contracts';
import {
  RecordedMember,
  StoryDetail,
  StoryListQuery,
  StoryMember,
  StoryPage,
  StoryStore,
  decodeStoryCursor,
  encodeStoryCursor,
  storyArticleRefOf,
  storyLimitOf,
} from '@monitor/search';
import { unavailable } from './elastic.store';

export interface ElasticStoryStoreOptions {
  client: Client;
  /** The indices are `<prefix>-stories` and `<prefix>-story-members`; a test run gets its own prefix. */
  prefix: string;
  replicas?: number;
  refreshInterval?: string;
}

const keyword = { type: 'keyword' } as const;
const date = { type: 'date' } as const;
const stored = { type: 'object', enabled: false } as const;

/** `dynamic: false`: only what is filtered or sorted on is indexed; the rest stays in _source. */
const MEMBER_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: false,
  properties: { articleId: keyword, storyId: keyword, seq: { type: 'long' }, publishedAt: date },
};
const STORY_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: false,
  properties: { id: keyword, languages: keyword, sources: keyword, topics: keyword, firstSeen: date, lastSeen: date, articleCount: { type: 'integer' }, articles: stored },
};

interface StoryDocument extends StorySummary {
  articleIds: string[];
  articles: ReturnType<typeof storyArticleRefOf>[];
}

/**
 * The Elasticsearch adapter of the story port: an index of members (document id = article id,
 * written with op_type create, so the first story an article is given stays its story however
 * many replicas or replays write it) and an index of stories, each rewritten with the members it
 * lacks under optimistic concurrency (if_seq_no): this distribution runs no scripts, and one
 * writer (the story queue's holder) makes a conflict rare. Reads by id (mget, get) are real-time; list() sees writes after a refresh (1s).
 */
export class ElasticStoryStore implements StoryStore {
  readonly membersIndex: string;
  readonly storiesIndex: string;
  private readonly client: Client;

  constructor(private readonly options: ElasticStoryStoreOptions) {
    this.client = options.client;
    this.membersIndex = `${options.prefix}-story-members`;
    this.storiesIndex = `${options.prefix}-stories`;
  }

  async init(): Promise<void> {
    const settings = { number_of_shards: 1, number_of_replicas: this.options.replicas ?? 0, refresh_interval: this.options.refreshInterval ?? '1s' };
    for (const [index, mappings] of [[this.membersIndex, MEMBER_MAPPINGS], [this.storiesIndex, STORY_MAPPINGS]] as const) {
      try {
        await this.client.indices.create({ index, settings, mappings });
      } catch (error) {
        // Another replica created it first.
        if (error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception') continue;
        throw unavailable(`create index ${index}`, error);
      }
    }
  }

  async record(members: readonly StoryMember[]): Promise<RecordedMember[]> {
    if (members.length === 0) return [];
    const normalised = members.map((member) => ({ ...member, publishedAt: new Date(member.publishedAt).toISOString() }));
    try {
      // First write wins: members already stored (a replay, another replica) keep their story.
      const first = new Map<string, StoryMember>();
      for (const member of normalised) if (!first.has(member.articleId)) first.set(member.articleId, member);
      const created = await this.client.bulk({
        operations: [...first.values()].flatMap((member) => [{ create: { _index: this.membersIndex, _id: member.articleId } }, member]),
      });
      const added = new Set<string>();
      for (const item of created.items) {
        const result = item.create!;
        if (result.status === 201) added.add(result._id!);
        else if (result.status !== 409) throw new Error(`member ${result._id}: ${result.error?.reason ?? result.status}`);
      }
      const storyOf = await this.storiesOf([...first.keys()]);
      // Every member goes into its story, added now or not: a crash between the two writes left a
      // member without its story, and the replay must finish the write (a story adds a member once).
      const stored = await this.storedMembers([...first.keys()].filter((id) => !added.has(id)).map((articleId) => ({ articleId })));
      const byStory = new Map<string, StoryMember[]>();
      for (const member of first.values()) {
        const own = stored.get(member.articleId) ?? { ...member, storyId: storyOf.get(member.articleId)! };
        byStory.set(own.storyId, [...(byStory.get(own.storyId) ?? []), own]);
      }
      await this.addToStories(byStory);
      const storyIds = normalised.map((member) => storyOf.get(member.articleId)!);
      const stories = await this.summaries([...new Set(storyIds)]);
      return normalised.map((member, i) => ({ articleId: member.articleId, storyId: storyIds[i], story: stories.get(storyIds[i])! }));
    } catch (error) {
      throw unavailable('story write', error);
    }
  }

  async storiesOf(articleIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const member of (await this.storedMembers(articleIds.map((articleId) => ({ articleId })))).values()) found.set(member.articleId, member.storyId);
    return found;
  }

  async window(windowMs: number): Promise<StoryMember[]> {
    try {
      await this.client.indices.refresh({ index: this.membersIndex });
      const latest = await this.client.search<StoryMember>({ index: this.membersIndex, size: 1, sort: [{ publishedAt: 'desc' }], _source: ['publishedAt'] });
      const top = latest.hits.hits[0]?._source;
      if (!top) return [];
      const since = new Date(Date.parse(top.publishedAt) - windowMs).toISOString();
      const members: StoryMember[] = [];
      let after: estypes.SortResults | undefined;
      for (;;) {
        const page = await this.client.search<StoryMember>({
          index: this.membersIndex,
          size: 1000,
          query: { range: { publishedAt: { gte: since } } },
          sort: [{ seq: 'asc' }, { articleId: 'asc' }],
          ...(after ? { search_after: after } : {}),
        });
        for (const hit of page.hits.hits) members.push(hit._source!);
        if (page.hits.hits.length < 1000) return members;
        after = page.hits.hits[page.hits.hits.length - 1].sort;
      }
    } catch (error) {
      throw unavailable('story window', error);
    }
  }

  async get(storyId: string): Promise<StoryDetail | null> {
    try {
      const found = await this.client.get<StoryDocument>({ index: this.storiesIndex, id: storyId }, { ignore: [404] });
      if (!found.found || !found._source) return null;
      const articles = [...found._source.articles].sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
      return { ...summaryOf(found._source), articles };
    } catch (error) {
      throw unavailable('story read', error);
    }
  }

  async list(query: StoryListQuery): Promise<StoryPage> {
    const limit = storyLimitOf(query);
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (query.topics?.length) filter.push({ terms: { topics: query.topics } });
    if (query.languages?.length) filter.push({ terms: { languages: query.languages } });
    if (query.from) filter.push({ range: { lastSeen: { gte: query.from } } });
    if (query.to) filter.push({ range: { firstSeen: { lte: query.to } } });
    const cursor = query.cursor ? decodeStoryCursor(query.cursor) : undefined;
    try {
      const result = await this.client.search<StoryDocument>({
        index: this.storiesIndex,
        size: limit + 1,
        query: { bool: { filter } },
        sort: [{ lastSeen: 'desc' }, { id: 'asc' }],
        _source: { excludes: ['articles', 'articleIds'] },
        ...(cursor ? { search_after: [Date.parse(cursor.lastSeen), cursor.id] } : {}),
      });
      const stories = result.hits.hits.slice(0, limit).map((hit) => summaryOf(hit._source!));
      const last = stories[stories.length - 1];
      return { stories, nextCursor: result.hits.hits.length > limit ? encodeStoryCursor({ lastSeen: last.lastSeen, id: last.id }) : null };
    } catch (error) {
      throw unavailable('story list', error);
    }
  }

  async refresh(): Promise<void> {
    try {
      await this.client.indices.refresh({ index: [this.membersIndex, this.storiesIndex] });
    } catch (error) {
      throw unavailable('story refresh', error);
    }
  }

  /** Deletes both indices (tests, and tearing down a namespace). */
  async drop(): Promise<void> {
    await this.client.indices.delete({ index: [this.membersIndex, this.storiesIndex], ignore_unavailable: true });
  }

  async close(): Promise<void> {
    // The client is shared and closed by whoever made it.
  }

  /** Adds each story's members it does not hold yet; a story another writer changed meanwhile is read again. */
  private async addToStories(byStory: Map<string, StoryMember[]>): Promise<void> {
    let pending = [...byStory.keys()];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error(`stories ${pending.join(', ')} kept changing under this write`);
      const current = await this.client.mget<StoryDocument>({ index: this.storiesIndex, ids: pending });
      const operations = current.docs.flatMap((doc) => {
        const found = 'found' in doc && doc.found && doc._source ? doc : undefined;
        const story = found ? found._source! : undefined;
        const merged = withMembers(doc._id, story, byStory.get(doc._id)!);
        if (!merged) return [];
        const action = found
          ? { index: { _index: this.storiesIndex, _id: doc._id, if_seq_no: found._seq_no, if_primary_term: found._primary_term } }
          : { create: { _index: this.storiesIndex, _id: doc._id } };
        return [action, merged];
      });
      if (operations.length === 0) return;
      const result = await this.client.bulk({ operations });
      const retry: string[] = [];
      for (const item of result.items) {
        const outcome = item.index ?? item.create!;
        if (outcome.status === 409) retry.push(outcome._id!);
        else if (outcome.error) throw new Error(`story ${outcome._id}: ${outcome.error.reason ?? outcome.status}`);
      }
      pending = retry;
    }
  }

  private async storedMembers(wanted: readonly { articleId: string }[]): Promise<Map<string, StoryMember>> {
    const found = new Map<string, StoryMember>();
    if (wanted.length === 0) return found;
    try {
      const result = await this.client.mget<StoryMember>({ index: this.membersIndex, ids: wanted.map((m) => m.articleId) });
      for (const doc of result.docs) if ('found' in doc && doc.found && doc._source) found.set(doc._id, doc._source);
      return found;
    } catch (error) {
      throw unavailable('story members read', error);
    }
  }

  private async summaries(storyIds: string[]): Promise<Map<string, StorySummary>> {
    const result = await this.client.mget<StoryDocument>({ index: this.storiesIndex, ids: storyIds, _source_excludes: ['articles', 'articleIds'] });
    const found = new Map<string, StorySummary>();
    for (const doc of result.docs) if ('found' in doc && doc.found && doc._source) found.set(doc._id, summaryOf(doc._source));
    return found;
  }
}

/** The story with the members it lacks, or undefined when it holds them all. */
function withMembers(storyId: string, story: StoryDocument | undefined, members: StoryMember[]): StoryDocument | undefined {
  const doc: StoryDocument = story
    ? { ...story, articleIds: [...story.articleIds], articles: [...story.articles] }
    : { id: storyId, title: members[0].title, articleCount: 0, languages: [], sources: [], topics: [], firstSeen: members[0].publishedAt, lastSeen: members[0].publishedAt, articleIds: [], articles: [] };
  const held = new Set(doc.articleIds);
  const fresh = members.filter((member) => !held.has(member.articleId));
  if (fresh.length === 0) return undefined;
  const languages = new Set(doc.languages);
  const sources = new Set(doc.sources);
  const topics = new Set(doc.topics);
  for (const member of fresh) {
    doc.articleIds.push(member.articleId);
    doc.articles.push(storyArticleRefOf(member));
    languages.add(member.language);
    sources.add(member.sourceId);
    for (const topic of member.topics) topics.add(topic);
    if (member.publishedAt < doc.firstSeen) doc.firstSeen = member.publishedAt;
    if (member.publishedAt > doc.lastSeen) doc.lastSeen = member.publishedAt;
  }
  return { ...doc, articleCount: doc.articleIds.length, languages: [...languages].sort(), sources: [...sources].sort(), topics: [...topics].sort() };
}

/** Sets are listed sorted, as the SQLite adapter keeps them. */
function summaryOf(doc: StorySummary): StorySummary {
  return {
    id: doc.id,
    title: doc.title,
    articleCount: doc.articleCount,
    languages: [...doc.languages].sort(),
    sources: [...doc.sources].sort(),
    topics: [...doc.topics].sort() as TopicId[],
    firstSeen: doc.firstSeen,
    lastSeen: doc.lastSeen,
  };
}
