import { StoredArticle, TopicId, ValidationError } from '@monitor/contracts';
import { AnalyzedDocument, ParsedQuery, analyzeDocument, documentKeys, evaluateQuery, parseQuery, requiredKeys } from '@monitor/query';
import { AlertsPer, Subscription, alertsPer } from './subscription';
import { SubscriptionStore } from './subscription.port';

/** What matching reads of an article: a classified one, or the one a story.assigned event carries. */
export type MatchedArticle = Pick<StoredArticle, 'title' | 'text' | 'sourceId' | 'language' | 'topics'>;

interface Entry {
  subscription: Subscription;
  topics: TopicId[];
  sources: ReadonlySet<string> | null;
  languages: ReadonlySet<string> | null;
  query: ParsedQuery | null;
  /** Keys of `byWord` it is filed under (requiredKeys of its query), or null. */
  words: string[] | null;
  // Copied from the subscription so the hot loop touches one object per candidate.
  minScore: number;
  all: boolean;
  per: AlertsPer;
  /** The match() call that last looked at this entry: an "any" subscription sits in several buckets. */
  seenIn: number;
  /** The keys of `byFilter` it is filed under (none when filed by word). */
  keys: string[];
}

// Two filing dimensions (word and topic, or source and topic; '' stands for "any"), so an article
// is a candidate only when it meets both: far fewer candidates than either alone.
const pairKey = (first: string, second: string) => `${first}\u0000${second}`;

function file(index: Map<string, Map<string, Entry>>, entry: Entry): void {
  for (const key of entry.keys) {
    let bucket = index.get(key);
    if (!bucket) index.set(key, (bucket = new Map()));
    bucket.set(entry.subscription.id, entry);
  }
}

/**
 * Finds the subscriptions an article matches without trying every subscription. A subscription
 * with a query is filed under the words its query cannot match without (requiredKeys of @monitor/query:
 * one required word, or each word of an OR) paired with each of its topics, and becomes a
 * candidate only when the article holds such a word and carries such a topic. A subscription
 * without required words is filed under its sources paired with its topics. ("all" subscriptions
 * are filed under one of their topics, since they need every one; no topic or no source files
 * under "any".) Only candidates are filtered by source, language and score, and only the
 * survivors' queries are evaluated, on an analysis of the article made once. The filing leaves
 * out only subscriptions that could not match, so the answers are those of trying every
 * subscription (`subscriptionMatches`, which the tests and the benchmark compare against).
 *
 * An any-topic subscription still needs the article to carry some topic at or above its minScore:
 * the monitor alerts on drug-control news, not on everything a source publishes.
 */
export class SubscriptionMatcher {
  /** Subscriptions without required words, by source and topic (either may be '' for "any"). */
  private readonly byFilter = new Map<string, Map<string, Entry>>();
  /** Subscriptions with required words: word, then topic ('' for any), then the subscriptions. */
  private readonly byWord = new Map<string, Map<string, Map<string, Entry>>>();
  private readonly entries = new Map<string, Entry>();
  private syncedRevision = -1;
  private matchCount = 0;
  private detach: (() => void) | null = null;

  constructor(subscriptions: Subscription[] = []) {
    for (const s of subscriptions) this.upsert(s);
  }

  /** Follows the store's changes; the first sync() loads every subscription of it. */
  static fromStore(store: SubscriptionStore): SubscriptionMatcher {
    const matcher = new SubscriptionMatcher();
    matcher.follow(store);
    return matcher;
  }

  /** Follows the store's changes made through this instance; the next sync() (re)loads it whole. */
  follow(store: SubscriptionStore): void {
    this.detach?.();
    this.syncedRevision = -1;
    this.detach = store.onChange((change) => (change.type === 'delete' ? this.remove(change.subscription.id) : this.upsert(change.subscription)));
  }

  /**
   * Reloads when another process changed the store (replicas share the store but not listeners).
   * Cheap when nothing changed: one read of a counter.
   *
   * This is how a change made through any api replica reaches every alerter replica: the alerter
   * calls it before each batch it matches (AlertService), so a batch is matched against the store
   * as it was when the batch began, on every replica, with no delay of its own. The store is the
   * one source of truth and its revision a realtime read (Elasticsearch: a GET by id, refreshed or
   * not), so there is nothing to lose between them. A changelog topic (subscriptions.v1, as
   * sources.v1 does for sources) was the alternative; it would add a second copy kept by a publish
   * after each store write, which a crash in between could leave behind the store, and it would
   * save one small read per batch.
   */
  async sync(store: SubscriptionStore): Promise<boolean> {
    const revision = await store.revision();
    if (revision === this.syncedRevision) return false;
    const all = await store.all();
    this.byFilter.clear();
    this.byWord.clear();
    this.entries.clear();
    for (const s of all) this.upsert(s);
    this.syncedRevision = revision;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  upsert(subscription: Subscription): void {
    this.remove(subscription.id);
    const query = queryOf(subscription);
    const entry: Entry = {
      subscription,
      topics: subscription.topics,
      sources: subscription.sources.length ? new Set(subscription.sources) : null,
      languages: subscription.languages.length ? new Set(subscription.languages.map((l) => l.toLowerCase())) : null,
      query: query === INVALID ? null : query,
      words: query && query !== INVALID ? requiredKeys(query.root) : null,
      minScore: subscription.minScore,
      all: subscription.topicsMode === 'all',
      per: alertsPer(subscription),
      seenIn: 0,
      keys: [],
    };
    this.entries.set(subscription.id, entry);
    // Kept for spike alerts, but filed nowhere: its query cannot match (see queryOf).
    if (query === INVALID) return;
    // "all" subscriptions need every topic, so one of them is enough to file them under.
    const topics = entry.topics.length === 0 ? [''] : entry.all ? [entry.topics[0]] : entry.topics;
    const words = entry.words;
    if (words) {
      for (const word of words) {
        let byTopic = this.byWord.get(word);
        if (!byTopic) this.byWord.set(word, (byTopic = new Map()));
        for (const topic of topics) {
          let bucket = byTopic.get(topic);
          if (!bucket) byTopic.set(topic, (bucket = new Map()));
          bucket.set(subscription.id, entry);
        }
      }
    } else {
      entry.keys = (entry.sources ? [...entry.sources] : ['']).flatMap((source) => topics.map((topic) => pairKey(source, topic)));
      file(this.byFilter, entry);
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const words = entry.words;
    if (words) {
      const topics = entry.topics.length === 0 ? [''] : entry.all ? [entry.topics[0]] : entry.topics;
      for (const word of words) {
        const byTopic = this.byWord.get(word);
        for (const topic of topics) {
          const bucket = byTopic?.get(topic);
          bucket?.delete(id);
          if (bucket?.size === 0) byTopic!.delete(topic);
        }
        if (byTopic?.size === 0) this.byWord.delete(word);
      }
      return;
    }
    for (const key of entry.keys) {
      const bucket = this.byFilter.get(key);
      bucket?.delete(id);
      if (bucket?.size === 0) this.byFilter.delete(key);
    }
  }

  /**
   * The subscriptions this article matches, in no particular order; with `per`, only those that
   * alert per article (matched on news.classified.v1) or per story (matched on story.assigned).
   */
  match(article: MatchedArticle, per?: AlertsPer): Subscription[] {
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
    let analysed: AnalyzedDocument | null = null;
    const matched: Subscription[] = [];

    const consider = (entry: Entry): void => {
      if (entry.seenIn === pass) return;
      entry.seenIn = pass;
      if (per !== undefined && entry.per !== per) return;
      if (entry.sources !== null && !entry.sources.has(article.sourceId)) return;
      if (entry.languages !== null && !entry.languages.has(language) && !entry.languages.has(baseLanguage)) return;
      if (!topicsPass(entry, scores, best)) return;
      if (entry.query !== null) {
        analysed ??= analyzeDocument([article.title, article.text]);
        if (!evaluateQuery(entry.query, analysed)) return;
      }
      matched.push(entry.subscription);
    };

    const topicKeys = ['', ...scores.keys()];
    for (const source of ['', article.sourceId]) {
      for (const topic of topicKeys) {
        const bucket = this.byFilter.get(pairKey(source, topic));
        if (bucket) for (const entry of bucket.values()) consider(entry);
      }
    }
    if (this.byWord.size > 0) {
      analysed ??= analyzeDocument([article.title, article.text]);
      for (const word of documentKeys(analysed)) {
        const byTopic = this.byWord.get(word);
        if (!byTopic) continue;
        for (const topic of topicKeys) {
          const bucket = byTopic.get(topic);
          if (bucket) for (const entry of bucket.values()) consider(entry);
        }
      }
    }
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

/**
 * Whether one subscription matches one article, by trying it directly: the meaning the matcher's
 * index must keep. Used to check the matcher and as the benchmark's brute-force baseline.
 */
export function subscriptionMatches(
  subscription: Subscription,
  article: MatchedArticle,
  analysed?: AnalyzedDocument,
  query?: ParsedQuery | null,
): boolean {
  if (article.topics.length === 0) return false;
  if (subscription.sources.length && !subscription.sources.includes(article.sourceId)) return false;
  if (subscription.languages.length) {
    const language = article.language.toLowerCase();
    const wanted = subscription.languages.map((l) => l.toLowerCase());
    if (!wanted.includes(language) && !wanted.includes(language.split('-')[0])) return false;
  }
  const scoreOf = (topic: TopicId) => Math.max(-Infinity, ...article.topics.filter((t) => t.id === topic).map((t) => t.score));
  const { topics, minScore } = subscription;
  const topicOk =
    topics.length === 0
      ? article.topics.some((t) => t.score >= minScore)
      : subscription.topicsMode === 'all'
        ? topics.every((t) => scoreOf(t) >= minScore)
        : topics.some((t) => scoreOf(t) >= minScore);
  if (!topicOk) return false;
  const parsed = query === undefined ? queryOf(subscription) : query;
  if (parsed === INVALID) return false;
  return parsed === null || evaluateQuery(parsed, analysed ?? analyzeDocument([article.title, article.text]));
}

const INVALID = Symbol('invalid query');

/**
 * The parsed query of a subscription, null when it has none. A stored query that the current
 * language no longer reads (it was saved under an older parser) makes INVALID: the subscription
 * then matches nothing, rather than one old row stopping every alert on reload.
 */
function queryOf(subscription: Subscription): ParsedQuery | null | typeof INVALID {
  if (!subscription.query) return null;
  try {
    return parseQuery(subscription.query, { field: 'query' });
  } catch (error) {
    if (error instanceof ValidationError) return INVALID;
    throw error;
  }
}
