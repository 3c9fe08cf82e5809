import { ClassifiedArticle, TopicId } from '@monitor/contracts';
import { Subscription } from './subscription';
import { SubscriptionStore } from './subscription.port';
import { AnalysedText, CompiledQuery, analyseText, compileQuery } from './subscription-query';

interface Entry {
  subscription: Subscription;
  topics: TopicId[];
  sources: ReadonlySet<string> | null;
  languages: ReadonlySet<string> | null;
  query: CompiledQuery | null;
  // Copied from the subscription so the hot loop touches one object per candidate.
  minScore: number;
  all: boolean;
  /** The match() call that last looked at this entry: an "any" subscription sits in several buckets. */
  seenIn: number;
}

/**
 * Finds the subscriptions an article matches without trying every subscription: an inverted
 * index from topic to the subscriptions that name it ("all" subscriptions are filed under one of
 * their topics only, since they need every one), and a bucket of any-topic subscriptions. Only
 * those candidates are filtered by source, language and score, and only the survivors' queries
 * are evaluated, on an analysis of the article made once.
 *
 * An any-topic subscription still needs the article to carry some topic at or above its minScore:
 * the monitor alerts on drug-control news, not on everything a source publishes.
 */
export class SubscriptionMatcher {
  private readonly byTopic = new Map<TopicId, Map<string, Entry>>();
  private readonly anyTopic = new Map<string, Entry>();
  private readonly entries = new Map<string, Entry>();
  private syncedRevision = -1;
  private matchCount = 0;
  private detach: (() => void) | null = null;

  constructor(subscriptions: Subscription[] = []) {
    for (const s of subscriptions) this.upsert(s);
  }

  /** Loads every subscription of the store and follows its changes. */
  static fromStore(store: SubscriptionStore): SubscriptionMatcher {
    const matcher = new SubscriptionMatcher();
    matcher.follow(store);
    return matcher;
  }

  follow(store: SubscriptionStore): void {
    this.detach?.();
    this.reload(store);
    this.detach = store.onChange((change) => (change.type === 'delete' ? this.remove(change.subscription.id) : this.upsert(change.subscription)));
  }

  /**
   * Reloads when another process changed the store (replicas share one file but not listeners).
   * Cheap when nothing changed: one read of a counter.
   */
  sync(store: SubscriptionStore): boolean {
    if (store.revision() === this.syncedRevision) return false;
    this.reload(store);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  upsert(subscription: Subscription): void {
    this.remove(subscription.id);
    const entry: Entry = {
      subscription,
      topics: subscription.topics,
      sources: subscription.sources.length ? new Set(subscription.sources) : null,
      languages: subscription.languages.length ? new Set(subscription.languages.map((l) => l.toLowerCase())) : null,
      query: subscription.query ? compileQuery(subscription.query) : null,
      minScore: subscription.minScore,
      all: subscription.topicsMode === 'all',
      seenIn: 0,
    };
    this.entries.set(subscription.id, entry);
    if (entry.topics.length === 0) {
      this.anyTopic.set(subscription.id, entry);
      return;
    }
    const filedUnder = subscription.topicsMode === 'all' ? [entry.topics[0]] : entry.topics;
    for (const topic of filedUnder) {
      let bucket = this.byTopic.get(topic);
      if (!bucket) this.byTopic.set(topic, (bucket = new Map()));
      bucket.set(subscription.id, entry);
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.anyTopic.delete(id);
    for (const topic of entry.topics) this.byTopic.get(topic)?.delete(id);
  }

  /** The subscriptions this article matches, in no particular order. */
  match(article: ClassifiedArticle): Subscription[] {
    if (article.topics.length === 0) return [];
    const scores = new Map<TopicId, number>();
    let best = -Infinity;
    for (const t of article.topics) {
      scores.set(t.id, Math.max(t.score, scores.get(t.id) ?? -Infinity));
      if (t.score > best) best = t.score;
    }
    const language = article.language.toLowerCase();
    const baseLanguage = language.split('-')[0];
    const pass = ++this.matchCount;
    let analysed: AnalysedText | null = null;
    const matched: Subscription[] = [];

    const consider = (entry: Entry): void => {
      if (entry.seenIn === pass) return;
      entry.seenIn = pass;
      if (entry.sources !== null && !entry.sources.has(article.sourceId)) return;
      if (entry.languages !== null && !entry.languages.has(language) && !entry.languages.has(baseLanguage)) return;
      if (!topicsPass(entry, scores, best)) return;
      if (entry.query !== null) {
        analysed ??= analyseText(`${article.title}\n${article.text}`, article.language);
        if (!entry.query.matches(analysed)) return;
      }
      matched.push(entry.subscription);
    };

    for (const topic of scores.keys()) {
      const bucket = this.byTopic.get(topic);
      if (bucket) for (const entry of bucket.values()) consider(entry);
    }
    for (const entry of this.anyTopic.values()) consider(entry);
    return matched;
  }

  /** Subscriptions that asked for spike alerts on this topic (naming it, or any topic). */
  spikeSubscribers(topic: TopicId): Subscription[] {
    const out: Subscription[] = [];
    for (const { subscription } of this.entries.values()) {
      if (subscription.spikeAlerts && (subscription.topics.length === 0 || subscription.topics.includes(topic))) out.push(subscription);
    }
    return out;
  }

  private reload(store: SubscriptionStore): void {
    const revision = store.revision();
    this.byTopic.clear();
    this.anyTopic.clear();
    this.entries.clear();
    for (const s of store.all()) this.upsert(s);
    this.syncedRevision = revision;
  }
}

function topicsPass(entry: Entry, scores: Map<TopicId, number>, best: number): boolean {
  const { topics, minScore } = entry;
  if (topics.length === 0) return best >= minScore;
  if (entry.all) {
    for (const topic of topics) if (!((scores.get(topic) ?? -Infinity) >= minScore)) return false;
    return true;
  }
  for (const topic of topics) if ((scores.get(topic) ?? -Infinity) >= minScore) return true;
  return false;
}
