import { Alert, ClassifiedArticle, StoryAssigned } from '@monitor/contracts';
import { topicLabel } from './alert-html';
import { alertIdFor } from './alert-id';
import { AlertLedger, LedgerEntry, LedgerWrite, RecordResult } from './alert-ledger.port';
import { Subscription } from './subscription';
import { SubscriptionMatcher } from './subscription-matcher';
import { SubscriptionStore } from './subscription.port';
import type { SpikeDetector, TopicSpike } from './spike-detector';

/** Something that acts on recorded alerts: the publisher to the log of alerts (alerts.v1), the SSE hub. */
export interface AlertDeliverer<Written = unknown> {
  /**
   * Runs once the ledger has recorded the alerts, with every entry of the batch: the new ones and
   * those recorded before (by another replica, or by this one before a crash). What must not be
   * lost is done here, where a throw fails the batch: the publisher to alerts.v1 publishes every
   * entry, the old ones again, so that a crash between the ledger write and the publish loses
   * nothing when the bus redelivers the batch (receivers drop the repeats by alert id). What it
   * returns is handed to deliver().
   */
  outbox?(entries: LedgerEntry[], subscriptions: ReadonlyMap<string, Subscription>): Promise<Written>;
  /** Runs after the outbox, with the new alerts and what outbox() wrote; must not throw (it starts work, it does not wait for it). */
  deliver(fresh: LedgerEntry[], written?: Written): void;
}

export interface AlertServiceOptions {
  matcher: SubscriptionMatcher;
  ledger: AlertLedger;
  /** When given, the matcher reloads whenever another process changed the subscriptions. */
  subscriptions?: SubscriptionStore;
  deliverers?: AlertDeliverer[];
  /** When given, every classified article is counted for spike detection. */
  spikes?: SpikeDetector;
  now?: () => Date;
}

/** One alert per subscription, topic and day: the spike's subject id says so. */
export function spikeAlert(subscription: Subscription, spike: TopicSpike, createdAt: string): Alert {
  const subjectId = spikeSubjectId(spike);
  return {
    schema: 'alerts.v1',
    id: alertIdFor(subscription.id, subjectId),
    kind: 'spike',
    subscriptionId: subscription.id,
    ownerKeyId: subscription.ownerKeyId,
    title: `Spike in ${topicLabel(spike.topic)}: ${spike.count} articles on ${spike.day} (usual ${spike.mean.toFixed(1)} a day)`,
    topics: [{ id: spike.topic, score: spike.count, evidence: [] }],
    related: spike.articles,
    createdAt,
  };
}

export function spikeSubjectId(spike: Pick<TopicSpike, 'topic' | 'day'>): string {
  return `spike:${spike.topic}:${spike.day}`;
}

/** Builds the alerts.v1 event for one subscription and one article. */
export function articleAlert(
  subscription: Subscription,
  article: ClassifiedArticle,
  createdAt: string,
  // An article that matches many subscriptions sorts its topics once, not once per alert.
  sortedTopics: Alert['topics'] = [...article.topics].sort((a, b) => b.score - a.score),
): Alert {
  return {
    schema: 'alerts.v1',
    id: alertIdFor(subscription.id, article.id),
    kind: 'article',
    subscriptionId: subscription.id,
    ownerKeyId: subscription.ownerKeyId,
    articleId: article.id,
    title: article.title,
    url: article.url,
    sourceId: article.sourceId,
    ...(article.sourceName ? { sourceName: article.sourceName } : {}),
    language: article.language,
    publishedAt: article.publishedAt,
    topics: sortedTopics,
    createdAt,
  };
}

/** The ledger subject of a per-story subscription's one alert for a story. */
export function storySubjectId(storyId: string): string {
  return `story:${storyId}`;
}

/** The ledger subject of a story.updated alert: one per subscription, story and later article. */
export function storyUpdateSubjectId(storyId: string, articleId: string): string {
  return `story:${storyId}:${articleId}`;
}

/**
 * Builds the alerts.v1 event for one per-story subscription and one article of a story: `story`
 * when the story first matches it, `story.updated` for a later article. The article's title and
 * link are the alert's; the story as it stood (its languages, sources, count) goes with it.
 */
export function storyAlert(
  subscription: Subscription,
  assigned: StoryAssigned,
  kind: 'story' | 'story.updated',
  createdAt: string,
  sortedTopics: Alert['topics'] = [...assigned.article.topics].sort((a, b) => b.score - a.score),
): Alert {
  const { article, storyId } = assigned;
  const subject = kind === 'story' ? storySubjectId(storyId) : storyUpdateSubjectId(storyId, article.id);
  return {
    ...articleAlert(subscription, { ...article, schema: 'news.classified.v1' }, createdAt, sortedTopics),
    id: alertIdFor(subscription.id, subject),
    kind,
    storyId,
    story: assigned.story,
  };
}

/**
 * The alerter's use case: classified articles in, new alerts out. Matching proposes, the ledger
 * disposes: only an alert the ledger had not seen is new, so the same article arriving again (bus
 * redelivery, re-polling, restart, re-classification, another replica) yields nothing new; it is
 * handed to the outboxes again all the same (see AlertDeliverer.outbox).
 */
export class AlertService {
  private readonly now: () => Date;
  private readonly deliverers: AlertDeliverer[];

  constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.deliverers = options.deliverers ?? [];
  }

  async handleClassified(articles: ClassifiedArticle[]): Promise<Alert[]> {
    if (this.options.subscriptions) await this.options.matcher.sync(this.options.subscriptions);
    const createdAt = this.now().toISOString();
    await this.options.spikes?.observe(articles, this.now());
    const writes: LedgerWrite[] = [];
    const subscriptions = new Map<string, Subscription>();
    for (const article of articles) {
      // Per-story subscriptions are matched on story.assigned (handleStories), once the story is known.
      const matched = this.options.matcher.match(article, 'article');
      if (matched.length === 0) continue;
      const topics = [...article.topics].sort((a, b) => b.score - a.score);
      for (const subscription of matched) {
        subscriptions.set(subscription.id, subscription);
        writes.push({ subscriptionId: subscription.id, subjectId: article.id, alert: articleAlert(subscription, article, createdAt, topics) });
      }
    }
    return this.record(writes, subscriptions);
  }

  /**
   * Alerts of per-story subscriptions for articles placed in their stories (story.assigned).
   * Exactly one `story` alert per subscription and story: its ledger subject is the story, so of
   * two articles of one story matching at once (two replicas, two partitions) one records it and
   * the other is told it exists. That other article, and every later one, is an update: nothing,
   * or one `story.updated` alert per subscription, story and article when the subscription asked
   * for updates. A redelivered event finds its own alerts and hands them to the outboxes again.
   */
  async handleStories(events: StoryAssigned[]): Promise<Alert[]> {
    if (this.options.subscriptions) await this.options.matcher.sync(this.options.subscriptions);
    const createdAt = this.now().toISOString();
    const firsts: LedgerWrite[] = [];
    const asked: Array<{ event: StoryAssigned; subscription: Subscription; topics: Alert['topics'] }> = [];
    const subscriptions = new Map<string, Subscription>();
    for (const event of events) {
      const matched = this.options.matcher.match(event.article, 'story');
      if (matched.length === 0) continue;
      const topics = [...event.article.topics].sort((a, b) => b.score - a.score);
      for (const subscription of matched) {
        subscriptions.set(subscription.id, subscription);
        firsts.push({ subscriptionId: subscription.id, subjectId: storySubjectId(event.storyId), alert: storyAlert(subscription, event, 'story', createdAt, topics) });
        asked.push({ event, subscription, topics });
      }
    }
    if (firsts.length === 0) return [];
    const first = await this.options.ledger.recordMany(firsts);
    const results: RecordResult[] = [];
    const updates: LedgerWrite[] = [];
    first.forEach((result, i) => {
      const { event, subscription, topics } = asked[i];
      // New, or this very article's (a redelivery): it goes to the outboxes like any alert.
      if (result.isNew || result.entry.alert.articleId === event.articleId) {
        results.push(result);
        return;
      }
      // The story alerted already, for another article: nothing more unless updates were asked for.
      if (subscription.storyUpdates) {
        updates.push({
          subscriptionId: subscription.id,
          subjectId: storyUpdateSubjectId(event.storyId, event.articleId),
          alert: storyAlert(subscription, event, 'story.updated', createdAt, topics),
        });
      }
    });
    if (updates.length) results.push(...(await this.options.ledger.recordMany(updates)));
    return this.settle(results, subscriptions);
  }

  /**
   * Looks for topic spikes on `day` (UTC, default today) and alerts the subscriptions that asked
   * for them; call it on a schedule (every few minutes). Each spike alerts once per subscription.
   */
  async checkSpikes(day?: string): Promise<Alert[]> {
    if (!this.options.spikes) return [];
    if (this.options.subscriptions) await this.options.matcher.sync(this.options.subscriptions);
    const createdAt = this.now().toISOString();
    const writes: LedgerWrite[] = [];
    const subscriptions = new Map<string, Subscription>();
    for (const spike of await this.options.spikes.detect(day ?? createdAt.slice(0, 10))) {
      for (const subscription of this.options.matcher.spikeSubscribers(spike.topic)) {
        subscriptions.set(subscription.id, subscription);
        writes.push({ subscriptionId: subscription.id, subjectId: spikeSubjectId(spike), alert: spikeAlert(subscription, spike, createdAt) });
      }
    }
    return this.record(writes, subscriptions);
  }

  /** Records prepared alerts (article or spike) and hands the new ones to the deliverers. */
  async record(writes: LedgerWrite[], subscriptions: ReadonlyMap<string, Subscription>): Promise<Alert[]> {
    if (writes.length === 0) return [];
    return this.settle(await this.options.ledger.recordMany(writes), subscriptions);
  }

  /** Hands what the ledger answered to the deliverers: every entry to the outboxes, the new ones to deliver(). */
  private async settle(results: RecordResult[], subscriptions: ReadonlyMap<string, Subscription>): Promise<Alert[]> {
    if (results.length === 0) return [];
    // Every entry, not only the new ones, goes through the outboxes: that is how an alert whose
    // publish a crash interrupted is published when the batch comes again (see AlertDeliverer.outbox).
    const entries = results.map((r) => r.entry);
    const written = new Map<AlertDeliverer, unknown>();
    for (const d of this.deliverers) if (d.outbox) written.set(d, await d.outbox(entries, subscriptions));
    const fresh = results.filter((r) => r.isNew).map((r) => r.entry);
    for (const d of this.deliverers) if (fresh.length || written.get(d)) d.deliver(fresh, written.get(d));
    return fresh.map((e) => e.alert);
  }
}
