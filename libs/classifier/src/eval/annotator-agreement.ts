/**
 * How far a second annotator, labelling a sample of corpus items blind by LABELLING.md, agrees
 * with the corpus's own labels. The figures are the classifier's (macro- and micro-F1 per language
 * group, per-topic precision and recall) with the corpus labels as the reference, so they read side
 * by side with the classifier's on the same items: how high a figure the labels can carry, and
 * whether two people apply the guide alike.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TOPIC_IDS, type TopicId, type TopicMatch } from '@monitor/contracts';
import type { ArticleReader } from './classifier-evaluation';
import { CorpusError, type CorpusItem } from './labelled-corpus';

const TOPICS = new Set<string>(TOPIC_IDS);

/**
 * A second annotator's labels, `{"id", "topics"}` per line; every id must name a corpus item and
 * appear once. A bad line fails the read, naming file, line and what was wrong.
 */
export function readSecondLabels(file: string, items: readonly CorpusItem[]): Map<string, TopicId[]> {
  const known = new Set(items.map((i) => i.id));
  const labels = new Map<string, TopicId[]>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      const where = `${basename(file)}:${index + 1}`;
      let value: { id?: unknown; topics?: unknown };
      try {
        value = JSON.parse(raw) as typeof value;
      } catch (error) {
        throw new CorpusError(`${where}: invalid JSON: ${(error as Error).message}`);
      }
      const { id, topics } = value;
      if (typeof id !== 'string' || !known.has(id)) throw new CorpusError(`${where}: "id" ${JSON.stringify(id)} names no corpus item`);
      if (labels.has(id)) throw new CorpusError(`${where}: "${id}" is labelled twice`);
      if (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string' || !TOPICS.has(t))) {
        throw new CorpusError(`${where}: "topics" must be a list of topic ids (${TOPIC_IDS.join(', ')})`);
      }
      labels.set(id, topics as TopicId[]);
    });
  return labels;
}

/**
 * The second annotator as a reader for `evaluate`: its topics for each labelled item, no evidence
 * (a person's reading has none to show). Only the labelled items can be read, as the evaluation
 * matches articles by title and text.
 */
export function secondAnnotator(items: readonly CorpusItem[], labels: ReadonlyMap<string, readonly TopicId[]>): ArticleReader {
  const byContent = new Map<string, { language: string; topics: readonly TopicId[] }>();
  for (const item of items) {
    const topics = labels.get(item.id);
    if (topics) byContent.set(`${item.title}\u0000${item.text}`, { language: item.lang, topics });
  }
  const reading = (title: string, text: string) => {
    const found = byContent.get(`${title}\u0000${text}`);
    if (!found) throw new CorpusError(`the second annotator did not label "${title}"`);
    return found;
  };
  const match = (id: TopicId, score: number): TopicMatch => ({ id, score, evidence: [] });
  return {
    classify: ({ title, text }) => {
      const { language, topics } = reading(title, text);
      return { language, taxonomyVersion: 'second annotator', topics: topics.map((id) => match(id, 1)) };
    },
    scoreTopic: (title, text, id) => match(id as TopicId, reading(title, text).topics.includes(id as TopicId) ? 1 : 0),
  };
}
