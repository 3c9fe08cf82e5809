import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BUS_TOPICS, CONSUMER_GROUPS, ClassifiedArticle, RawArticle } from '@monitor/contracts';
import { SecondLook, TopicClassifier } from '@monitor/classifier';
import { MESSAGE_BUS, MessageBus, ReceivedEvent, publishEvents } from '@monitor/messaging';
import { StageController, consumes } from '@monitor/runtime';
import { Logger, MONITOR_LOGGER, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';

export const TOPIC_CLASSIFIER = Symbol('TOPIC_CLASSIFIER');
/** The classifier's second look (SecondLook), or null when the rules decide alone. */
export const SECOND_LOOK = Symbol('SECOND_LOOK');

/**
 * Turns a raw item into a classified article: language and topics with evidence, over the
 * collector's text. The sanitised HTML travels on as `html` for display when the feed gave HTML.
 */
export function classifyRawArticle(classifier: TopicClassifier, raw: RawArticle, now = new Date()): ClassifiedArticle {
  const text = raw.text;
  const title = raw.title.trim();
  const result = classifier.classify({ title, text, lang: raw.declaredLanguage });
  const article: ClassifiedArticle = {
    schema: 'news.classified.v1',
    id: raw.id,
    sourceId: raw.sourceId,
    sourceName: raw.sourceName,
    url: raw.url,
    title,
    text,
    language: result.language,
    publishedAt: raw.publishedAt,
    fetchedAt: raw.fetchedAt,
    classifiedAt: now.toISOString(),
    taxonomyVersion: result.taxonomyVersion,
    topics: result.topics,
  };
  if (raw.contentType === 'html') article.html = raw.content;
  return article;
}

/** Consumes news.raw.v1 and publishes news.classified.v1, keyed by the article id. */
@StageController()
export class ClassifierStage {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPIC_CLASSIFIER) private readonly classifier: TopicClassifier,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Inject(MONITOR_LOGGER) private readonly logger: Logger,
    @Inject(SECOND_LOOK) private readonly look: SecondLook | null,
  ) {
    // Whether the learned second opinion and the second look are in use, and if not why.
    logger.info({ taxonomyVersion: classifier.taxonomyVersion, secondOpinion: classifier.secondOpinionNote, secondLook: look ? look.note : 'off (SECOND_LOOK)' }, 'classifier ready');
  }

  @EventPattern(consumes(BUS_TOPICS.raw, CONSUMER_GROUPS.classifier), { maxBatchSize: 500 })
  async classify(@Payload() events: ReceivedEvent<'news.raw.v1'>[]): Promise<void> {
    const classified: ClassifiedArticle[] = [];
    const traceIds = new Map<string, string>();
    // Checked once per batch: the per-article line would otherwise build its fields for nothing.
    const debug = this.logger.isLevelEnabled('debug');
    for (const { event, traceId } of events) {
      const end = this.metrics.classificationDuration.startTimer();
      const article = classifyRawArticle(this.classifier, event);
      end();
      classified.push(article);
      traceIds.set(article.id, traceId);
    }
    if (this.look) await this.lookAgain(classified);
    if (debug) for (const article of classified) this.logger.debug({ articleId: article.id, traceId: traceIds.get(article.id), topics: article.topics.map((t) => t.id) }, 'classified');
    await publishEvents(this.bus, BUS_TOPICS.classified, classified, traceIds);
    this.metrics.eventsProcessed.inc({ stage: 'classifier' }, classified.length);
    this.activity.recordEvents('classifier', classified.length);
  }

  /** The second look over the batch: one embedding request for the articles it reads (second-look.ts says which). */
  private async lookAgain(articles: ClassifiedArticle[]): Promise<void> {
    const inputs = articles.map((a) => ({ title: a.title, text: a.text }));
    const revised = await this.look!.reviseAll(this.classifier, inputs, articles.map((a) => ({ language: a.language, taxonomyVersion: a.taxonomyVersion, topics: a.topics })));
    articles.forEach((a, i) => (a.topics = revised[i].topics));
  }
}
