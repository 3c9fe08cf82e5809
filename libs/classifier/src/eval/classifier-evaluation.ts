/**
 * Precision, recall and F1 of the classifier against a labelled set: per topic, micro and macro,
 * plus every false positive and false negative with the evidence behind it.
 */
import { TOPIC_IDS, type TopicMatch } from '@monitor/contracts';
import type { TopicClassifier } from '../article-classifier';

export interface LabelledArticle {
  id: string;
  title: string;
  text: string;
  lang?: string;
  /** Gold topic ids (the data files call the field `topics` or `labels`). */
  labels: string[];
}

export interface TopicFigures {
  id: string;
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Miss {
  articleId: string;
  title: string;
  topic: string;
  kind: 'false-positive' | 'false-negative';
  score: number;
  evidence: TopicMatch['evidence'];
}

export interface Evaluation {
  articles: number;
  topics: TopicFigures[];
  microF1: number;
  macroF1: number;
  misses: Miss[];
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** What an evaluation asks of a classifier: its topics for an article, and one topic's score to explain a miss. */
export type ArticleReader = Pick<TopicClassifier, 'classify' | 'scoreTopic'>;

export function evaluate(classifier: ArticleReader, articles: LabelledArticle[]): Evaluation {
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  for (const id of TOPIC_IDS) counts.set(id, { tp: 0, fp: 0, fn: 0, support: 0 });
  const misses: Miss[] = [];

  for (const article of articles) {
    const gold = new Set(article.labels);
    // Topic scores under threshold are wanted for the false negatives, so ask for all of them.
    const found = classifier.classify({ title: article.title, text: article.text, lang: article.lang }).topics;
    const predicted = new Map(found.map((t) => [t.id as string, t]));
    for (const id of TOPIC_IDS) {
      const c = counts.get(id)!;
      const isGold = gold.has(id);
      const hit = predicted.get(id);
      if (isGold) c.support++;
      if (isGold && hit) c.tp++;
      else if (!isGold && hit) {
        c.fp++;
        misses.push({ articleId: article.id, title: article.title, topic: id, kind: 'false-positive', score: hit.score, evidence: hit.evidence });
      } else if (isGold && !hit) {
        c.fn++;
        const near = classifier.scoreTopic(article.title, article.text, id);
        misses.push({ articleId: article.id, title: article.title, topic: id, kind: 'false-negative', score: near.score, evidence: near.evidence });
      }
    }
  }

  let tp = 0;
  let fp = 0;
  let fn = 0;
  const topics: TopicFigures[] = [];
  for (const [id, c] of counts) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    topics.push({ id, ...c, precision, recall, f1: f1(precision, recall) });
  }
  const withSupport = topics.filter((t) => t.support > 0);
  const macroF1 = withSupport.reduce((sum, t) => sum + t.f1, 0) / Math.max(1, withSupport.length);
  const microF1 = f1(ratio(tp, tp + fp), ratio(tp, tp + fn));
  return { articles: articles.length, topics, microF1, macroF1, misses };
}
