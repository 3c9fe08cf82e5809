/**
 * The learned second opinion, in two layers, trained on the dev part of the corpus by
 * `npm run train:classifier` (eval/second-opinion-training.ts) and shipped as data beside the
 * taxonomy (taxonomy/second-opinion.json):
 * - per topic, a one-vs-rest logistic regression over hashed character n-grams of the match text
 *   (the "text model": what the article reads like, whatever terms it uses);
 * - a logistic regression that weighs what the rule pass found for the topic (score against
 *   threshold, title and body hits, terms, concepts, negatives, the strongest other topic) with
 *   the text model's verdict and the topic itself. There are two: `add` for a topic whose terms the
 *   rules found under its threshold, `keep` for a topic the rules assigned. They are shared by the
 *   topics (with a weight per topic), since per topic the dev part has a few dozen under-threshold
 *   articles and a handful of right answers among them: too few to learn from alone.
 *
 * It only ever revises the rules where a person can still read why:
 * - it may ADD a topic only when the rule pass found at least one term of that topic (under the
 *   threshold, outside a `requires` gate), and the topic then shows those terms as its evidence;
 * - it may DROP a topic the rules assigned only when it is very confident (probability under
 *   `dropBelow`);
 * - anywhere else, and for a topic it has no text model for, the rules decide alone.
 */
import { z } from 'zod';
import { MonitorError } from '@monitor/contracts';
import { NgramBag, type NgramSpec } from './ngram-bag';
import { parseModelJson } from './model-json';

export const SECOND_OPINION_FORMAT = 1;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();

export const SecondOpinionModelSchema = z.strictObject({
  format: z.literal(SECOND_OPINION_FORMAT),
  /** The taxonomy the features were computed with: another version's terms make other features. */
  taxonomyVersion: z.string().min(1),
  /** The taxonomy's topic ids in its order: the slots of the per-topic weights of the combiners. */
  topicOrder: z.array(z.string().min(1)).min(1),
  ngrams: z.strictObject({ bits: z.number().int().min(4).max(20), min: z.number().int().min(1), max: z.number().int().max(8), maxUnits: z.number().int().positive() }),
  /** Add a topic with candidate terms at or above this probability. */
  addAt: z.number().gt(0).lt(1),
  /** Drop a rule-assigned topic below this probability (0: never drop). */
  dropBelow: z.number().min(0).lt(0.5),
  training: z.strictObject({ part: z.literal('dev'), articles: count, seed: z.number().int(), epochs: z.number().int().positive() }),
  /** Text models by topic id: bias and one weight per n-gram bucket. */
  text: z.record(z.string(), z.strictObject({ bias: finite, ngrams: z.array(finite), positives: count })),
  /** The combiners: one weight per combiner feature (COMBINER_FEATURES, then one per topic). */
  add: z.strictObject({ weights: z.array(finite), examples: count, positives: count }),
  keep: z.strictObject({ weights: z.array(finite), examples: count, positives: count }),
});
export type SecondOpinionModel = z.infer<typeof SecondOpinionModelSchema>;

/**
 * A second-opinion model that cannot be used. SECOND_OPINION_INVALID: the file is not a model
 * (unreadable JSON, wrong shape); SECOND_OPINION_STALE: a model of another taxonomy (version or
 * topics), whose features would not mean what it learnt.
 */
export class SecondOpinionError extends MonitorError {
  constructor(
    readonly file: string,
    detail: string,
    code: 'SECOND_OPINION_INVALID' | 'SECOND_OPINION_STALE',
    cause?: unknown,
  ) {
    super(code, `${file}: ${detail}`, { retriable: false, cause });
  }
}

/** Names of the combiners' features, in order; then one slot per topic of the taxonomy. */
export const COMBINER_FEATURES = ['bias', 'score/threshold', 'title hits', 'body hits', 'terms', 'concepts', 'negatives/threshold', 'text model', 'strongest other topic'] as const;
const OWN = COMBINER_FEATURES.length;
/** Ratios are clipped so that one article full of a term does not swamp the rest. */
const CLIP = 3;
/** The text model's logit enters clipped and scaled, so the combiners' steps stay of one size. */
const LOGIT_CLIP = 8;
const LOGIT_SCALE = 4;

/** What the rule pass found in one article, per topic of the taxonomy (index = taxonomy order). */
export class ArticleSignals {
  /** 1 when the topic has at least one scored term and no unmet `requires` gate: the model may speak. */
  readonly present: Uint8Array;
  readonly score: Float64Array;
  readonly titleHits: Float64Array;
  readonly bodyHits: Float64Array;
  /** Distinct terms, and distinct term groups (concepts), that scored. */
  readonly terms: Float64Array;
  readonly concepts: Float64Array;
  /** What the topic's negatives took off. */
  readonly negatives: Float64Array;

  constructor(
    readonly thresholds: Float64Array,
    readonly bag: NgramBag,
  ) {
    const n = thresholds.length;
    this.present = new Uint8Array(n);
    this.score = new Float64Array(n);
    this.titleHits = new Float64Array(n);
    this.bodyHits = new Float64Array(n);
    this.terms = new Float64Array(n);
    this.concepts = new Float64Array(n);
    this.negatives = new Float64Array(n);
  }

  clearTopics(): void {
    this.present.fill(0);
    this.score.fill(0);
  }

  assigned(t: number): boolean {
    return this.score[t] >= this.thresholds[t];
  }

  /** The combiner features of topic t, given its text model's logit, into out[0 .. combinerSize). */
  combinerFeatures(t: number, textLogit: number, out: Float64Array): void {
    const th = this.thresholds[t];
    out.fill(0);
    out[0] = 1;
    out[1] = Math.max(-CLIP, Math.min(this.score[t] / th, CLIP));
    out[2] = Math.log1p(this.titleHits[t]);
    out[3] = Math.log1p(this.bodyHits[t]);
    out[4] = Math.log1p(this.terms[t]);
    out[5] = Math.log1p(this.concepts[t]);
    out[6] = Math.min(this.negatives[t] / th, CLIP);
    out[7] = Math.max(-LOGIT_CLIP, Math.min(textLogit, LOGIT_CLIP)) / LOGIT_SCALE;
    let other = 0;
    for (let o = 0; o < this.thresholds.length; o++) {
      if (o !== t && this.present[o] === 1) other = Math.max(other, Math.min(this.score[o] / this.thresholds[o], CLIP));
    }
    out[8] = other;
    out[OWN + t] = 1;
  }
}

export function combinerSize(topics: number): number {
  return OWN + topics;
}

/** The n-gram bag as sparse values (count / sqrt(n-grams read), by bucket): what training keeps per article. */
export interface SparseNgrams {
  buckets: Int32Array;
  values: Float64Array;
}

export function sparseNgrams(bag: NgramBag): SparseNgrams {
  const counts = new Map<number, number>();
  for (let i = 0; i < bag.count; i++) counts.set(bag.ids[i], (counts.get(bag.ids[i]) ?? 0) + 1);
  const buckets = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const scale = bag.scale();
  return { buckets, values: Float64Array.from(buckets, (b) => counts.get(b)! * scale) };
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** A model bound to the taxonomy it was trained on, ready to decide. */
export class SecondOpinion {
  readonly spec: NgramSpec;
  readonly addAt: number;
  readonly dropBelow: number;
  /** Text models by taxonomy topic index; null where the model has none (the rules decide alone). */
  private readonly textBias: Float64Array;
  private readonly textWeights: (Float64Array | null)[];
  private readonly add: Float64Array;
  private readonly keep: Float64Array;
  private readonly scratch: Float64Array;

  /** Throws SecondOpinionError: SECOND_OPINION_STALE for a model of another taxonomy, SECOND_OPINION_INVALID for weights of the wrong size. */
  constructor(
    readonly model: SecondOpinionModel,
    taxonomy: { version: string; topicIds: readonly string[] },
    file = '(second opinion)',
  ) {
    if (model.taxonomyVersion !== taxonomy.version) {
      throw new SecondOpinionError(file, `trained on taxonomy ${model.taxonomyVersion}, but the taxonomy is ${taxonomy.version}: retrain with npm run train:classifier`, 'SECOND_OPINION_STALE');
    }
    if (model.topicOrder.join(',') !== taxonomy.topicIds.join(',')) {
      throw new SecondOpinionError(file, `trained on topics ${model.topicOrder.join(', ')}, but the taxonomy has ${taxonomy.topicIds.join(', ')}: retrain with npm run train:classifier`, 'SECOND_OPINION_STALE');
    }
    this.spec = model.ngrams;
    this.addAt = model.addAt;
    this.dropBelow = model.dropBelow;
    const size = combinerSize(taxonomy.topicIds.length);
    for (const which of ['add', 'keep'] as const) {
      if (model[which].weights.length !== size) throw new SecondOpinionError(file, `${which}: ${model[which].weights.length} weights, expected ${size}`, 'SECOND_OPINION_INVALID');
    }
    const buckets = 1 << model.ngrams.bits;
    this.textWeights = taxonomy.topicIds.map((id) => {
      const w = model.text[id];
      if (!w) return null;
      if (w.ngrams.length !== buckets) throw new SecondOpinionError(file, `text.${id}: ${w.ngrams.length} n-gram weights, expected ${buckets}`, 'SECOND_OPINION_INVALID');
      return Float64Array.from(w.ngrams);
    });
    this.textBias = Float64Array.from(taxonomy.topicIds, (id) => model.text[id]?.bias ?? 0);
    this.add = Float64Array.from(model.add.weights);
    this.keep = Float64Array.from(model.keep.weights);
    this.scratch = new Float64Array(size);
  }

  /** The text model's logit for topic t (NaN without one). */
  textLogit(bag: NgramBag, t: number): number {
    const weights = this.textWeights[t];
    if (weights === null) return NaN;
    const ids = bag.ids;
    let g = 0;
    for (let i = 0; i < bag.count; i++) g += weights[ids[i]];
    return this.textBias[t] + g * bag.scale();
  }

  /** Probability that topic t (present) is right for the article, or NaN when the model has no text model for it. */
  probability(signals: ArticleSignals, t: number): number {
    const logit = this.textLogit(signals.bag, t);
    if (Number.isNaN(logit)) return NaN;
    const x = this.scratch;
    signals.combinerFeatures(t, logit, x);
    const w = signals.assigned(t) ? this.keep : this.add;
    let z = 0;
    for (let i = 0; i < w.length; i++) z += w[i] * x[i];
    return sigmoid(z);
  }

  /**
   * The final decision for topic t, which must be present (a scored term, no unmet gate): true to
   * assign. The rules' own verdict stands unless the model is confident enough to overturn it.
   */
  decide(signals: ArticleSignals, t: number): boolean {
    const byRules = signals.assigned(t);
    const p = this.probability(signals, t);
    if (Number.isNaN(p)) return byRules;
    return combine(byRules, p, this.addAt, this.dropBelow);
  }
}

/** The combination rule alone (the caller has checked that the topic has evidence). */
export function combine(byRules: boolean, p: number, addAt: number, dropBelow: number): boolean {
  return byRules ? !(p < dropBelow) : p >= addAt;
}

/** Parses and validates model JSON; throws SecondOpinionError (SECOND_OPINION_INVALID) naming the file and field. */
export function parseSecondOpinion(source: string, file: string): SecondOpinionModel {
  const model = parseModelJson(source, SecondOpinionModelSchema, (detail, cause) => new SecondOpinionError(file, detail, 'SECOND_OPINION_INVALID', cause));
  if (model.ngrams.max < model.ngrams.min) throw new SecondOpinionError(file, 'ngrams: max is below min', 'SECOND_OPINION_INVALID');
  return model;
}

export { NgramBag, type NgramSpec };
