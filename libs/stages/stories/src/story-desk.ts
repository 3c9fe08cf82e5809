import { ClassifiedArticle, StoryAssigned, StoryQueueArticle, StoryQueueItem, TopicId } from '@monitor/contracts';
import { StoryMember, StoryStore } from '@monitor/search';
import { DEFAULT_STORY_TUNING, EntityFinder, StoryArticle, StoryAssigner, StoryTuning, loadGazetteer, storyIdFor } from '@monitor/stories';

/** One article read from the story queue, with where it was in the queue. */
export interface QueuedArticle {
  item: StoryQueueItem;
  partition: number;
  offset: string;
}

/**
 * What the story queue carries of a classified article: all of it but the display HTML, since
 * story.assigned hands it on to the alerter, which matches subscriptions on topics with their
 * scores, text, source and language.
 */
export function storyQueueItemOf(article: ClassifiedArticle): StoryQueueItem {
  const { schema: _schema, html: _html, storyId: _storyId, ...rest } = article;
  return { schema: 'stories.queue.v1', ...rest };
}

/** The article of a queue item, as story.assigned carries it. */
function queueArticleOf(item: StoryQueueItem): StoryQueueArticle {
  const { schema: _schema, ...article } = item;
  return article;
}

/** When the article happened, for the story window: its date, or when it was fetched. */
function happenedAt(item: StoryQueueItem): string {
  return item.publishedAt ?? item.fetchedAt;
}

/** The taxonomy concepts of an article, once each: all that assignment reads of its topics. */
function topicIdsOf(item: StoryQueueItem): TopicId[] {
  return [...new Set(item.topics.map((topic) => topic.id))];
}

/**
 * Decides the story of each article read from the story queue, in queue order, and records it.
 * The assigner's window lives in this process only as a cache of the story store: it is rebuilt
 * from the store whenever this process cannot be sure it saw every assignment before the batch in
 * hand (at start, after taking the queue over from another replica, after a failed batch), which
 * it tells by the batch not starting where its last one ended. An article the store already
 * places (a replay, a re-classification) keeps its story.
 */
export class StoryDesk {
  private assigner?: StoryAssigner;
  /** Where the next batch starts if nobody else read the queue since this process's last batch. */
  private next?: { partition: number; offset: bigint };
  private readonly tuning: Partial<StoryTuning>;
  private readonly finder: EntityFinder;

  constructor(
    private readonly store: StoryStore,
    options: { tuning?: Partial<StoryTuning>; finder?: EntityFinder; onRebuilt?: (articles: number) => void } = {},
  ) {
    this.tuning = options.tuning ?? {};
    this.finder = options.finder ?? new EntityFinder(loadGazetteer());
    this.onRebuilt = options.onRebuilt ?? (() => undefined);
  }

  private readonly onRebuilt: (articles: number) => void;

  async assign(batch: readonly QueuedArticle[]): Promise<StoryAssigned[]> {
    if (batch.length === 0) return [];
    const first = batch[0];
    if (!this.assigner || !this.next || this.next.partition !== first.partition || this.next.offset !== BigInt(first.offset)) await this.rebuild();
    const assigner = this.assigner!;
    try {
      const known = await this.store.storiesOf(batch.map(({ item }) => item.id));
      const members: StoryMember[] = batch.map(({ item, offset }) => {
        const article = storyArticleOf({ ...item, publishedAt: happenedAt(item), topics: topicIdsOf(item) });
        let storyId = known.get(item.id);
        if (storyId) {
          assigner.remember(article, storyId);
        } else {
          storyId = assigner.assign(article).story.id;
          known.set(item.id, storyId);
        }
        return memberOf(item, storyId, Number(offset));
      });
      const recorded = await this.store.record(members);
      // Another writer placed an article first (two holders of the queue for a moment, during a
      // rebalance): the store's answer stands, and this window, built on the other answer, goes.
      if (recorded.some((r, i) => r.storyId !== members[i].storyId)) this.assigner = undefined;
      const last = batch[batch.length - 1];
      this.next = { partition: last.partition, offset: BigInt(last.offset) + 1n };
      const items = new Map(batch.map(({ item }) => [item.id, item]));
      return recorded.map((r) => ({
        schema: 'stories.v1',
        type: 'story.assigned',
        id: r.articleId,
        articleId: r.articleId,
        storyId: r.storyId,
        created: r.storyId === storyIdFor(r.articleId),
        story: r.story,
        article: queueArticleOf(items.get(r.articleId)!),
      }));
    } catch (error) {
      // Decisions that may not be stored must not outlive the batch: its replay decides again.
      this.assigner = undefined;
      throw error;
    }
  }

  private async rebuild(): Promise<void> {
    const assigner = new StoryAssigner(this.tuning, this.finder);
    const members = await this.store.window(this.tuning.windowMs ?? DEFAULT_STORY_TUNING.windowMs);
    for (const member of members) assigner.remember(storyArticleOf({ ...member, id: member.articleId }), member.storyId);
    this.assigner = assigner;
    this.onRebuilt(members.length);
  }
}

function storyArticleOf(item: Pick<StoryMember, 'title' | 'text' | 'language' | 'sourceId' | 'publishedAt' | 'topics'> & { id: string }): StoryArticle {
  return { id: item.id, title: item.title, text: item.text, language: item.language, sourceId: item.sourceId, publishedAt: Date.parse(item.publishedAt), topics: item.topics };
}

function memberOf(item: StoryQueueItem, storyId: string, seq: number): StoryMember {
  return {
    articleId: item.id,
    storyId,
    seq,
    title: item.title,
    text: item.text,
    url: item.url,
    language: item.language,
    sourceId: item.sourceId,
    ...(item.sourceName ? { sourceName: item.sourceName } : {}),
    publishedAt: new Date(happenedAt(item)).toISOString(),
    topics: topicIdsOf(item),
  };
}
