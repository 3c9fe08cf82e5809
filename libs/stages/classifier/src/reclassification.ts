import { BUS_TOPICS, ClassifiedArticle, MonitorError } from '@monitor/contracts';
import { SecondLook, TopicClassifier, reclassify } from '@monitor/classifier';
import { MessageBus, publishEvents } from '@monitor/messaging';
import { ArticleStore } from '@monitor/search';

export interface ReclassificationOptions {
  store: ArticleStore;
  bus: MessageBus;
  /** Usually built from a new taxonomy version. */
  classifier: TopicClassifier;
  /** The process's second look, if it runs one (SECOND_LOOK): re-classification must agree with classification. */
  look?: SecondLook | null;
  pageSize?: number;
  now?: () => Date;
}

export interface ReclassificationReport {
  taxonomyVersion: string;
  /** Stored articles read. */
  scanned: number;
  /** Articles whose set of topics changed; each was re-offered to the alerter. */
  changed: number;
  /** Articles whose topic set stayed the same (their version and scores may still be updated). */
  unchanged: number;
  /** Documents rewritten in place: changed ones and those classified by another version. */
  updated: number;
}

/** Two re-classifications at once would race on the same documents; the second is refused. */
export class ReclassificationBusyError extends MonitorError {
  constructor() {
    super('CONFLICT', 'a re-classification is already running; try again when it has finished', { retriable: true });
  }
}

/**
 * Re-runs `classifier` over every stored article and updates topics in place (same document id,
 * so never a duplicate), recording the taxonomy version on each article.
 *
 * Articles whose topic set changed are also published again on news.classified.v1, rather than
 * handed to the alert service directly, because that is the one path that works in both modes (in
 * stack mode the ledger and the push deliverers live in the alerter process, not here) and it is
 * already idempotent by article id: the indexer's upsert replaces the document, and the alert
 * ledger's key (subscription, article) lets only genuinely new subscription matches through, so a
 * subscriber already alerted about an article is not alerted again.
 *
 * The event is published before the store is updated: if the process dies in between, the event
 * alone still gets the document written by the indexer; the other order could leave an updated
 * document whose new matches were never offered to the alerter, and a second run would skip it.
 * The direct update then makes the result searchable as soon as this call returns, without waiting
 * for the indexer (and while the monitor is stopped, for the command-line run).
 */
export async function reclassifyStoredArticles(options: ReclassificationOptions): Promise<ReclassificationReport> {
  const { store, bus, classifier } = options;
  const now = options.now ?? (() => new Date());
  const report: ReclassificationReport = { taxonomyVersion: classifier.taxonomyVersion, scanned: 0, changed: 0, unchanged: 0, updated: 0 };
  for await (const page of store.scan(options.pageSize ?? 200)) {
    report.scanned += page.length;
    const byId = new Map(page.map((article) => [article.id, article]));
    const results = [];
    for await (const result of reclassify(page, classifier, options.look ?? null)) results.push(result);

    const classifiedAt = now().toISOString();
    const republish: ClassifiedArticle[] = [];
    for (const result of results) {
      if (result.added.length === 0 && result.removed.length === 0) continue;
      const article = byId.get(result.id)!;
      republish.push({ ...article, schema: 'news.classified.v1', topics: result.topics, taxonomyVersion: result.taxonomyVersion, classifiedAt });
    }
    await publishEvents(bus, BUS_TOPICS.classified, republish);
    report.changed += republish.length;

    for (const result of results) {
      if (await store.updateTopics(result.id, result.topics, result.taxonomyVersion)) report.updated++;
    }
  }
  report.unchanged = report.scanned - report.changed;
  await store.refresh();
  return report;
}

/** Lets one re-classification run at a time in this process. */
export class ReclassificationRunner {
  private running = false;

  async run(options: ReclassificationOptions): Promise<ReclassificationReport> {
    if (this.running) throw new ReclassificationBusyError();
    this.running = true;
    try {
      return await reclassifyStoredArticles(options);
    } finally {
      this.running = false;
    }
  }
}
