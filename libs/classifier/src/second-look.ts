/**
 * The second look: a multilingual sentence embedding of the whole article (TextEmbedder) read by
 * one logistic regression per topic and by the vote of the nearest dev articles (neighbour-vote.ts),
 * both fitted on the dev part of the corpus by `npm run train:second-look` and shipped as data
 * (encoder/second-look.json).
 *
 * Why: the rules reach about 0.91 macro-F1 on the articles their terms were written from and about
 * 0.84 on sources they had not met, and the misses there are mostly articles whose wording the
 * terms did not foresee, in Russian above all. An embedding reads the article as a whole, across
 * languages, whatever its words; on sources not met it found what the terms half-saw (see
 * taxonomy/CHANGELOG.md, "The second look").
 *
 * What it may do, and nothing else:
 * - ADD a topic only where the rules already found that topic's terms (a positive score under the
 *   threshold, outside a `requires` gate), at probability `addAt` or more: the topic then shows
 *   those terms as its evidence and its rule score, so a person can still read why;
 * - DROP a topic the rules assigned only when all but sure it is wrong (probability under
 *   `dropBelow`): passing mentions that the terms cannot tell from the subject. In a long article
 *   (`dropCheck`) the passages around the topic's evidence are read first, and a topic one of them
 *   is about stays: the article as a whole is about something else, but a part of it is not;
 * - FIND a topic the rules found no term of only when all but sure of it (probability `findAt` or
 *   more; a model without `findAt` never does): the articles whose wording no term foresaw. Its
 *   evidence is the sentence (or the title) that the same weights read as most about the topic,
 *   so a person can still read why; its score is 0, as no rule counted for it. A topic the rules
 *   pushed below 0 (a negative term, such as cigarettes beside a seizure) is never found.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MonitorError, type TopicId, type TopicMatch } from '@monitor/contracts';
import type { ClassificationResult, ClassifyInput, TopicClassifier } from './article-classifier';
import type { TextEmbedder } from './text-embedder.port';
import { parseModelJson } from './model-json';
import { NeighbourVote, neighbourSpecProblem } from './neighbour-vote';

export const SECOND_LOOK_FORMAT = 1;
export const DEFAULT_SECOND_LOOK_PATH = join(__dirname, '..', 'encoder', 'second-look.json');

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();

export const SecondLookModelSchema = z.strictObject({
  format: z.literal(SECOND_LOOK_FORMAT),
  /** The embedder whose vectors the weights were fitted on (TextEmbedder.model). */
  embedder: z.string().min(1),
  dimensions: z.number().int().positive(),
  /** A topic is added at or above this probability. */
  addAt: z.number().gt(0).lt(1),
  /** A topic the rules assigned is dropped under this probability (0: never). */
  dropBelow: z.number().min(0).lt(0.5),
  /** A topic the rules found no term of is assigned at or above this probability (absent: never). */
  findAt: z.number().gt(0.5).lte(1).optional(),
  /**
   * Before a topic is dropped from an article whose text has `from` characters or more, each
   * passage around its evidence (the sentence of a term with the sentences either side, or the
   * title) is read, and the topic stays if one reads `keepAt` or more. Absent: no such reading.
   */
  dropCheck: z.strictObject({ from: z.number().int().positive(), keepAt: z.number().gt(0).lt(1) }).optional(),
  training: z.strictObject({ part: z.literal('dev'), articles: count, inverseRegularisation: z.number().positive(), classWeight: z.literal('balanced'), library: z.string().min(1) }),
  /** Per topic id: bias and one weight per dimension. */
  topics: z.record(z.string(), z.strictObject({ bias: finite, weights: z.array(finite), positives: count })),
  /**
   * The dev articles' vectors and topics (neighbour-vote.ts): an article's probability of a topic
   * is then (1 − weight) × its regression's plus weight × the vote of its k nearest. Absent: the
   * regressions alone.
   */
  neighbours: z
    .strictObject({
      weight: z.number().gt(0).lt(1),
      k: z.number().int().positive(),
      sharpness: z.number().positive(),
      topics: z.array(z.string().min(1)).min(1).max(31),
      labels: z.array(count),
      vectors: z.string(),
      scales: z.string(),
    })
    .optional(),
});
export type SecondLookModel = z.infer<typeof SecondLookModelSchema>;

/**
 * SECOND_LOOK_INVALID: the file is not a model (unreadable, wrong shape). SECOND_LOOK_MISMATCH: a
 * model of another embedder or size, whose weights would read vectors they were not fitted on.
 */
export class SecondLookError extends MonitorError {
  constructor(file: string, detail: string, code: 'SECOND_LOOK_INVALID' | 'SECOND_LOOK_MISMATCH', cause?: unknown) {
    super(code, `${file}: ${detail}`, { retriable: false, cause });
  }
}

export function parseSecondLook(source: string, file = '(second look)'): SecondLookModel {
  const model = parseModelJson(source, SecondLookModelSchema, (detail, cause) => new SecondLookError(file, detail, 'SECOND_LOOK_INVALID', cause));
  for (const [id, t] of Object.entries(model.topics)) {
    if (t.weights.length !== model.dimensions) throw new SecondLookError(file, `topics.${id}: ${t.weights.length} weights, expected ${model.dimensions}`, 'SECOND_LOOK_INVALID');
  }
  const problem = model.neighbours && neighbourSpecProblem(model.neighbours, model.dimensions);
  if (problem) throw new SecondLookError(file, `neighbours.${problem}`, 'SECOND_LOOK_INVALID');
  return model;
}

/** ", W of each probability from the vote of the K nearest of N dev articles", or '' for a model without neighbours. */
export function neighboursNote(model: Pick<SecondLookModel, 'neighbours'>): string {
  const n = model.neighbours;
  return n ? `, ${n.weight} of each probability from the vote of the ${n.k} nearest of ${n.labels.length} dev articles` : '';
}

/** " unless a passage around its evidence reads P (articles of N characters or more)", or ''. */
export function dropCheckNote(model: Pick<SecondLookModel, 'dropCheck'>): string {
  const c = model.dropCheck;
  return c ? ` unless a passage around its evidence reads ${c.keepAt} or more (texts of ${c.from} characters or more)` : '';
}

/** What the embedding of an article is made of: the same for training and for use. */
export const embeddingText = (input: { title: string; text: string }): string => `${input.title}\n${input.text}`;

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * A topic the rules assigned, one they half-saw (terms found, score above 0, under the threshold),
 * or one they found no term of (only asked for when the model has `findAt`).
 */
interface Candidate {
  match: TopicMatch;
  kind: 'assigned' | 'half-seen' | 'unseen';
}

/** The evidence a found topic shows: its sentence, cut to what a chip or an e-mail line can hold. */
const FOUND_EVIDENCE_CHARS = 160;
/**
 * The title and the first sentences of the body are read for a found topic's evidence, no more:
 * the embedder costs about a fifth of a second per text on two cores, and a news article says
 * what it is about early; a 2,000-sentence document must not stall a batch.
 */
export const FOUND_EVIDENCE_SENTENCES = 48;

/** The passages around one topic's evidence read before it is dropped, no more (see dropCheck). */
export const DROP_CHECK_PASSAGES = 8;

/** One sentence of an article, where it is. */
interface SentenceSpan {
  field: 'title' | 'text';
  start: number;
  end: number;
  sentence: string;
}

/**
 * The title and the sentences of the body, by Intl.Segmenter (ICU's sentence rules, which know
 * Russian abbreviations and the Chinese full stop; the classifier's own boundaries are built while
 * it folds the text for matching and are not kept).
 */
const SENTENCES = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function sentencesOf(title: string, text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  const push = (field: 'title' | 'text', start: number, raw: string) => {
    const lead = raw.length - raw.trimStart().length;
    const sentence = raw.trim();
    if (sentence) out.push({ field, start: start + lead, end: start + lead + sentence.length, sentence });
  };
  push('title', 0, title);
  for (const s of SENTENCES.segment(text)) {
    if (out.length >= FOUND_EVIDENCE_SENTENCES) break;
    push('text', s.index, s.segment);
  }
  return out;
}

/**
 * The passages around a topic's evidence, in the order of its evidence, each once: the title for a
 * term in the title, and for a term in the body its sentence with the sentences either side (a
 * news paragraph, about the length of the corpus's articles that the weights were fitted on).
 */
export function evidencePassages(title: string, text: string, evidence: TopicMatch['evidence']): string[] {
  let sentences: { start: number; end: number }[] | null = null;
  const out = new Set<string>();
  for (const e of evidence) {
    if (out.size >= DROP_CHECK_PASSAGES) break;
    // A negative phrase's sentence is no passage about the topic.
    if ((e.weight ?? 1) <= 0) continue;
    if (e.field === 'title') {
      if (title.trim()) out.add(title.trim());
      continue;
    }
    sentences ??= Array.from(SENTENCES.segment(text), (s) => ({ start: s.index, end: s.index + s.segment.length }));
    const k = sentences.findIndex((s) => e.start >= s.start && e.start < s.end);
    if (k < 0) continue;
    const passage = text.slice(sentences[Math.max(0, k - 1)].start, sentences[Math.min(sentences.length - 1, k + 1)].end).trim();
    if (passage) out.add(passage);
  }
  return [...out];
}

export class SecondLook {
  readonly addAt: number;
  readonly dropBelow: number;
  readonly findAt: number | null;
  private readonly weights = new Map<string, { bias: number; weights: Float64Array }>();
  private readonly neighbours: { vote: NeighbourVote; weight: number } | null;

  /** Throws SecondLookError (SECOND_LOOK_MISMATCH) for a model of another embedder. */
  constructor(
    readonly model: SecondLookModel,
    readonly embedder: TextEmbedder,
    file = '(second look)',
  ) {
    if (model.embedder !== embedder.model || model.dimensions !== embedder.dimensions) {
      throw new SecondLookError(
        file,
        `fitted on ${model.embedder} (${model.dimensions} dimensions), but the embedder is ${embedder.model} (${embedder.dimensions}): retrain with npm run train:second-look`,
        'SECOND_LOOK_MISMATCH',
      );
    }
    this.addAt = model.addAt;
    this.dropBelow = model.dropBelow;
    this.findAt = model.findAt ?? null;
    for (const [id, t] of Object.entries(model.topics)) this.weights.set(id, { bias: t.bias, weights: Float64Array.from(t.weights) });
    this.neighbours = model.neighbours ? { vote: new NeighbourVote(model.neighbours, model.dimensions), weight: model.neighbours.weight } : null;
  }

  /** Reads the model at `file` (default: the one shipped) for this embedder. */
  static load(embedder: TextEmbedder, file = DEFAULT_SECOND_LOOK_PATH): SecondLook {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new SecondLookError(file, `cannot read: ${(cause as Error).message}`, 'SECOND_LOOK_INVALID', cause);
    }
    return new SecondLook(parseSecondLook(source, file), embedder, file);
  }

  get note(): string {
    const t = this.model.training;
    const finds = this.findAt === null ? '' : `, finds unseen topics at p ≥ ${this.findAt}`;
    return `on: ${this.model.embedder}, ${Object.keys(this.model.topics).length} topics, trained on ${t.articles} dev articles, adds at p ≥ ${this.addAt}, drops under p ${this.dropBelow}${dropCheckNote(this.model)}${finds}${neighboursNote(this.model)}`;
  }

  /** The probability the model gives topic `id` for an embedded article (NaN: no weights for it). */
  probability(id: string, vector: Float32Array): number {
    return this.reader(vector)(id);
  }

  /**
   * The model's probabilities for one embedded article, by topic id: the regression's, blended
   * with the neighbours' vote when the model keeps neighbours (counted once per article).
   */
  private reader(vector: Float32Array): (id: string) => number {
    if (!this.neighbours) return (id) => this.regression(id, vector);
    const { vote, weight } = this.neighbours;
    const votes = vote.votes(vector);
    return (id) => (1 - weight) * this.regression(id, vector) + weight * (votes.get(id) ?? 0);
  }

  /** The regression's probability of topic `id` for a vector (NaN: no weights for it). */
  private regression(id: string, vector: Float32Array): number {
    const w = this.weights.get(id);
    if (!w) return NaN;
    let z = w.bias;
    for (let d = 0; d < vector.length; d++) z += w.weights[d] * vector[d];
    return sigmoid(z);
  }

  /**
   * The rules' results revised: each article's half-seen topics that the model backs are added,
   * with their rule score and evidence, its assigned topics that the model all but rules out are
   * dropped, and (with `findAt`) topics the rules found nothing of that it is all but sure of are
   * found, with their sentence as evidence. Without `findAt`, articles with no topic half-seen or
   * assigned are not embedded at all; the others go in one request to the embedder, and the
   * sentences of articles with a found topic in one more.
   */
  async reviseAll(classifier: TopicClassifier, inputs: readonly ClassifyInput[], results: readonly ClassificationResult[]): Promise<ClassificationResult[]> {
    const candidates = inputs.map((input, i) => this.candidates(classifier, input, results[i]));
    const asked = candidates.flatMap((c, i) => (c.length > 0 ? [i] : []));
    if (asked.length === 0) return [...results];
    const textOf = (i: number) => ({ title: inputs[i].title ?? '', text: inputs[i].text ?? '' });
    const vectors = await this.embedder.embed(asked.map((i) => embeddingText(textOf(i))));
    const revised = [...results];
    const finding: { i: number; ids: TopicId[] }[] = [];
    const changes: { i: number; added: TopicMatch[]; dropped: TopicMatch[] }[] = [];
    asked.forEach((i, k) => {
      const read = this.reader(vectors[k]);
      const p = (c: Candidate): number => read(c.match.id);
      const added = candidates[i].filter((c) => c.kind === 'half-seen' && p(c) >= this.addAt).map((c) => c.match);
      const dropped = candidates[i].filter((c) => c.kind === 'assigned' && p(c) < this.dropBelow).map((c) => c.match);
      const found = candidates[i].filter((c) => c.kind === 'unseen' && p(c) >= this.findAt!).map((c) => c.match.id);
      if (found.length > 0) finding.push({ i, ids: found });
      if (added.length > 0 || dropped.length > 0) changes.push({ i, added, dropped });
    });
    const kept = await this.passagesAbout(changes.flatMap(({ i, dropped }) => dropped.map((match) => ({ input: textOf(i), match }))));
    let checked = 0;
    for (const { i, added, dropped } of changes) {
      const gone = new Set<TopicId>();
      for (const match of dropped) if (!kept[checked++]) gone.add(match.id);
      if (added.length > 0 || gone.size > 0) {
        revised[i] = { ...results[i], topics: [...results[i].topics.filter((t) => !gone.has(t.id)), ...added].sort((a, b) => b.score - a.score) };
      }
    }
    if (finding.length > 0) {
      const shown = await this.withSentences(finding.map(({ i, ids }) => ({ input: textOf(i), ids })));
      // Found topics score 0 and come after every rule topic; one without a sentence is not given.
      finding.forEach(({ i }, n) => {
        if (shown[n].length > 0) revised[i] = { ...revised[i], topics: [...revised[i].topics, ...shown[n]] };
      });
    }
    return revised;
  }

  /**
   * For each topic about to be dropped: whether a passage around its evidence reads as about it
   * (dropCheck), in one request for all of them. Always false in an article under dropCheck.from
   * characters, whose whole is read already, and without dropCheck.
   */
  private async passagesAbout(drops: readonly { input: { title: string; text: string }; match: TopicMatch }[]): Promise<boolean[]> {
    const check = this.model.dropCheck;
    if (!check) return drops.map(() => false);
    const passages = drops.map(({ input, match }) => (input.text.length >= check.from ? evidencePassages(input.title, input.text, match.evidence) : []));
    const all = passages.flat();
    if (all.length === 0) return drops.map(() => false);
    const vectors = await this.embedder.embed(all);
    let at = 0;
    return drops.map(({ match }, n) => {
      const own = vectors.slice(at, at + passages[n].length);
      at += passages[n].length;
      // Read as an article is, the neighbours' vote included (unlike a found topic's sentence): three
      // sentences are about as long as the corpus's articles, which the neighbours are.
      return own.some((v) => this.reader(v)(match.id) >= check.keepAt);
    });
  }

  /**
   * Each found topic with the sentence of its article that the weights read as most about it, as
   * its evidence; an article with no sentence (no words at all) gives none, as nothing could be shown.
   */
  private async withSentences(articles: readonly { input: { title: string; text: string }; ids: TopicId[] }[]): Promise<TopicMatch[][]> {
    const spans = articles.map((a) => sentencesOf(a.input.title, a.input.text));
    const sentences = spans.flat().map((s) => s.sentence);
    const vectors = sentences.length > 0 ? await this.embedder.embed(sentences) : [];
    let at = 0;
    return articles.map((a, n) => {
      const own = vectors.slice(at, at + spans[n].length);
      at += spans[n].length;
      if (own.length === 0) return [];
      return a.ids.map((id) => {
        // The regression alone picks the sentence: the neighbours are whole articles, and a
        // sentence is not one; the article's own probability already found the topic.
        const probabilities = own.map((v) => this.regression(id, v));
        const best = probabilities.indexOf(Math.max(...probabilities));
        const s = spans[n][best];
        const term = s.sentence.length > FOUND_EVIDENCE_CHARS ? `${s.sentence.slice(0, FOUND_EVIDENCE_CHARS - 1)}…` : s.sentence;
        return { id, score: 0, evidence: [{ term, field: s.field, start: s.start, end: s.end, weight: Number(probabilities[best].toFixed(3)) }] };
      });
    });
  }

  async revise(classifier: TopicClassifier, input: ClassifyInput, result: ClassificationResult): Promise<ClassificationResult> {
    return (await this.reviseAll(classifier, [input], [result]))[0];
  }

  private candidates(classifier: TopicClassifier, input: ClassifyInput, result: ClassificationResult): Candidate[] {
    const out: Candidate[] = [];
    for (const match of result.topics) if (this.dropBelow > 0 && this.weights.has(match.id)) out.push({ match, kind: 'assigned' });
    const assigned = new Set(result.topics.map((t) => t.id));
    for (const topic of classifier.taxonomy.topics) {
      if (assigned.has(topic.id) || !this.weights.has(topic.id)) continue;
      const match = classifier.scoreTopic(input.title ?? '', input.text ?? '', topic.id);
      if (match.score > 0 && match.evidence.length > 0) out.push({ match, kind: 'half-seen' });
      else if (this.findAt !== null && match.score >= 0) out.push({ match, kind: 'unseen' });
    }
    return out;
  }
}

/** One article classified as the monitor does: the rules, then the second look when there is one. */
export async function classifyWithSecondLook(classifier: TopicClassifier, look: SecondLook | null, input: ClassifyInput): Promise<ClassificationResult> {
  const rules = classifier.classify(input);
  return look ? look.revise(classifier, input, rules) : rules;
}
