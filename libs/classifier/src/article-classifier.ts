/**
 * TopicClassifier: scores an article against every topic of a taxonomy and explains each score
 * with evidence (term, field, offsets into the original title or text, weight).
 *
 * How a score is read, in the terms an analyst would use:
 * - every term occurrence contributes its group's weight; in the title it counts `titleWeight`
 *   times, in the lead sentence of the body `leadWeight` times;
 * - inside a sentence that enumerates threats (at least `listMarkersMin` threat-list markers and
 *   `listSeparatorsMin` commas) it counts only `listWeight` of itself: a passing mention;
 * - a term with a context rule counts only when a term of its anchor set is within `within`
 *   characters; a topic with `requires` needs such an anchor somewhere outside a threat list;
 * - the same term repeated counts less each time (`repeatDecay`);
 * - negative terms subtract their weight, and a term inside a negative phrase does not count
 *   ("trafficking" inside "human trafficking").
 * A topic is assigned when its score reaches its threshold.
 */
import type { Evidence, TopicId, TopicMatch } from '@monitor/contracts';
import type { Scoring, Taxonomy } from './taxonomy-schema';
import { ALL_TOPICS, TopicMatcher } from './topic-matcher';
import type { SentenceSpans } from './sentence-spans';
import { detectLanguage } from './language-detector';
import { ROLE_ANCHOR, ROLE_LIST, ROLE_NEGATIVE, ROLE_TERM, RoleTable, anchorBit } from './role-table';
import { ArticleSignals, type SecondOpinion } from './second-opinion';
import { NgramBag, type NgramSpec } from './ngram-bag';

export interface ClassifyInput {
  title: string;
  text: string;
  /** A language the source declares; used instead of detection when given. */
  lang?: string;
}

export interface ClassificationResult {
  language: string;
  taxonomyVersion: string;
  topics: TopicMatch[];
}

export interface ClassifierOptions {
  /** A learned second opinion bound to this taxonomy (second-opinion.ts); none: the rules alone. */
  secondOpinion?: SecondOpinion | null;
  /** Whether a second opinion is in use and why (or why not), for operators: said by the loader. */
  secondOpinionNote?: string;
}

/** What the rule pass saw in one article, for training the second opinion (a copy: it outlives the next article). */
export interface RuleReading {
  /** The topics the rules alone assign. */
  topics: string[];
  signals: ArticleSignals;
}

type Field = 'title' | 'text';

/** Fields by number, in the order they are read (evidence lists the title first among equals). */
const TITLE = 0;
const TEXT = 1;
const FIELD_NAMES: readonly Field[] = ['title', 'text'];

/**
 * Articles the classifier reads once at construction, so that the JIT has seen every path of the
 * normaliser, the scan and the scoring (sentence breaks, Russian endings, Chinese, threat lists,
 * negative phrases, context rules) before it optimises them. Optimised on one kind of article,
 * the code is thrown out at the first other kind, and what V8 rebuilds is often much slower
 * (measured: the normaliser at 14 instead of 8 ns per character, in one process start of two).
 */
const WARM_UP: [string, string][] = [
  [
    'Anti-drug operation: police seize heroin and opium',
    'The joint operation against drug trafficking seized 12.5 kg of heroin!\nLeaders discussed terrorism, extremism, human trafficking, drug trafficking and organised crime — «again».',
  ],
  ['Операция против наркотиков', 'Изъято 20 кг героина. Обсуждались терроризм, экстремизм, незаконный оборот наркотиков и организованная преступность; ёлка.'],
  ['禁毒联合行动', '缴获海洛因和冰毒。会议讨论了恐怖主义、极端主义、贩毒和有组织犯罪。'],
];

/** A score to two decimals and an evidence weight to three, as the API shows them. */
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The scoring works on parallel typed arrays reused from article to article (a classifier
 * classifies one article at a time), so an article allocates only what it returns. Three lists:
 * - the hits of the field being read (sentence, threat-list state, search bounds), by hit;
 * - the roles found in that field (list markers, negatives, anchors, candidate terms);
 * - the scored terms of the whole article, then, topic by topic, their decayed values ("entries").
 */
export class TopicClassifier {
  readonly taxonomyVersion: string;
  private readonly matcher: TopicMatcher;
  private readonly scoring: Scoring;
  private readonly roles: RoleTable;

  /** The learned second opinion in use, or null (rules alone). */
  readonly secondOpinion: SecondOpinion | null;
  readonly secondOpinionNote: string;
  /** The n-gram bag and per-topic signals of the article being read, while a second opinion needs them. */
  private bag: NgramBag | null = null;
  private signals: ArticleSignals | null = null;
  private readonly thresholds: Float64Array;

  constructor(
    readonly taxonomy: Taxonomy,
    options: ClassifierOptions = {},
  ) {
    this.taxonomyVersion = taxonomy.version;
    this.secondOpinion = options.secondOpinion ?? null;
    this.secondOpinionNote = options.secondOpinionNote ?? (this.secondOpinion ? 'on' : 'off: rules alone');
    this.scoring = taxonomy.scoring;
    this.matcher = new TopicMatcher(taxonomy);
    this.roles = new RoleTable(this.matcher.roles);
    this.anchorFree = new Uint8Array(this.matcher.anchorNames.length);
    this.topicFirst = new Int32Array(this.matcher.topics.length + 1);
    this.topicFill = new Int32Array(this.matcher.topics.length);
    this.groupTail = new Int32Array(this.roles.count).fill(-1);
    this.thresholds = Float64Array.from(this.matcher.topics, (t) => t.threshold);
    if (this.secondOpinion) this.readSignals(this.secondOpinion.spec);
    for (let i = 0; i < 30; i++) for (const [title, text] of WARM_UP) this.score(title, text, i % 2 === 1 ? (taxonomy.topics[0]?.id ?? null) : null);
  }

  /** Size of the compiled term trie, for operators and the bench. */
  get stats(): { terms: number; states: number; tableBytes: number } {
    return this.matcher.stats;
  }

  classify(input: ClassifyInput): ClassificationResult {
    const title = input.title ?? '';
    const text = input.text ?? '';
    const language = input.lang && /^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(input.lang) ? input.lang.toLowerCase() : detectLanguage(title, text);
    return { language, taxonomyVersion: this.taxonomyVersion, topics: this.topicsOf(title, text) };
  }

  /** Topics over threshold, highest score first. */
  topicsOf(title: string, text: string): TopicMatch[] {
    return this.score(title, text, null);
  }

  /** One topic's score and evidence even when it stays under threshold (to explain a miss). */
  scoreTopic(title: string, text: string, id: string): TopicMatch {
    return this.score(title, text, id)[0] ?? { id: id as TopicId, score: 0, evidence: [] };
  }

  /**
   * The rule pass over one article with everything the second opinion reads, copied out: what
   * training learns from. The same code fills the signals when the model decides, so the two
   * cannot drift apart.
   */
  readRules(title: string, text: string, spec: NgramSpec): RuleReading {
    const saved = { bag: this.bag, signals: this.signals };
    try {
      const signals = this.readSignals(spec);
      const topics = this.score(title, text, null, true).map((t) => t.id as string);
      const copy = new ArticleSignals(this.thresholds, new NgramBag(spec));
      copy.present.set(signals.present);
      copy.score.set(signals.score);
      copy.titleHits.set(signals.titleHits);
      copy.bodyHits.set(signals.bodyHits);
      copy.terms.set(signals.terms);
      copy.concepts.set(signals.concepts);
      copy.negatives.set(signals.negatives);
      copy.bag.copyFrom(signals.bag);
      return { topics, signals: copy };
    } finally {
      this.bag = saved.bag;
      this.signals = saved.signals;
    }
  }

  private readSignals(spec: NgramSpec): ArticleSignals {
    const bag = this.bag?.spec === spec ? this.bag : new NgramBag(spec);
    this.bag = bag;
    this.signals = this.signals?.bag === bag ? this.signals : new ArticleSignals(this.thresholds, bag);
    return this.signals;
  }

  // ---- Per hit of the field being read ----
  /** Sentence of each hit (0 in the title). */
  private sentence = new Int32Array(256);
  /** Whether each hit is inside a threat list: 0 = not asked yet, 1 = no, 2 = yes. */
  private listState = new Uint8Array(256);
  /**
   * Search bounds. Hits come in order of end offset, but the matcher moves a prefix term's end to
   * the end of its word, so the ends may be only nearly sorted: the largest end up to a hit and
   * the smallest start from a hit on let a scan in hit order stop early and still see every hit
   * it must, whatever the order.
   */
  private maxEndUpTo = new Int32Array(256);
  private minStartFrom = new Int32Array(256);

  // ---- Per role found in the field being read, in hit order ----
  private markerCount = 0;
  private markerHit = new Int32Array(256);
  private negativeCount = 0;
  private negativeHit = new Int32Array(256);
  private negativeRole = new Int32Array(256);
  private anchorCount = 0;
  private anchorHit = new Int32Array(256);
  private anchorId = new Int32Array(256);
  /** anchorBit() of each anchor's set, and of all the field's anchors together. */
  private anchorBits = new Int32Array(256);
  private fieldAnchorBits = 0;
  private candidateHit = new Int32Array(256);
  private candidateRole = new Int32Array(256);
  private candidateValue = new Float64Array(256);
  /** Per sentence: threat-list markers in it, and its list separators (-1 = not counted yet). */
  private markersIn = new Int32Array(64);
  private separatorsIn = new Int32Array(64);
  private fieldValue = '';
  private fieldSentences: SentenceSpans | null = null;

  // ---- Per article ----
  /** Per anchor set: whether a term of it occurs outside a threat list (opens `requires`). */
  private readonly anchorFree: Uint8Array;
  /** Scored terms and negatives: role, field, offsets and value before repeat decay. */
  private scoredCount = 0;
  private scoredRole = new Int32Array(512);
  private scoredField = new Uint8Array(512);
  private scoredStart = new Int32Array(512);
  private scoredEnd = new Int32Array(512);
  private scoredValue = new Float64Array(512);
  /** Scored topic terms grouped by topic (topic t: byTopic[topicFirst[t] .. topicFirst[t + 1])), in scored order. */
  private readonly topicFirst: Int32Array;
  private readonly topicFill: Int32Array;
  private byTopic = new Int32Array(512);
  /** Scored negatives, and those that apply to the topic being scored. */
  private scoredNegatives = 0;
  private negatives = new Int32Array(512);
  private topicNegatives = new Int32Array(512);

  // ---- Per topic being scored ----
  /** Repeats of one role as linked lists: last repeat seen by role (-1 = none), next repeat by scored term. */
  private readonly groupTail: Int32Array;
  private nextInGroup = new Int32Array(512);
  private groupHead = new Int32Array(512);
  /** Entries: a scored term and its value after decay; the topic's terms first, then its negatives. */
  private entryScored = new Int32Array(512);
  private entryValue = new Float64Array(512);
  private entryWeight = new Float64Array(512);
  /** The entries shown as evidence, best first. */
  private top = new Int32Array(16);

  /**
   * Topics over threshold (only = null), or the topics with id `only` whatever their score. With
   * a second opinion (and `rulesOnly` false), topics over threshold as the model revises them.
   */
  private score(title: string, text: string, only: string | null, rulesOnly = false): TopicMatch[] {
    this.scoredCount = 0;
    this.anchorFree.fill(0);
    const signals = only === null ? this.signals : null;
    if (signals) {
      signals.bag.clear();
      signals.clearTopics();
    }
    this.readField(TITLE, title, signals);
    this.readField(TEXT, text, signals);
    if (this.scoredCount === 0) return [];

    this.groupByTopic();
    if (signals) return this.withSignals(signals, rulesOnly ? null : this.secondOpinion);
    const topics = this.matcher.topics;
    const { topicFirst } = this;
    const out: TopicMatch[] = [];
    for (let t = 0; t < topics.length; t++) {
      const topic = topics[t];
      if (topicFirst[t] === topicFirst[t + 1] || (only !== null && topic.id !== only)) continue;
      const gated = topic.requires !== null && !this.anyFree(topic.requires);
      // A gated topic cannot be assigned: unless it is asked for by id, there is nothing to compute.
      if (gated && only === null) continue;
      const score = this.topicEntries(t);
      const assigned = !gated && score >= topic.threshold;
      if (assigned || only !== null) out.push({ id: topic.id, score: round2(score), evidence: this.evidence(this.kept, this.total) });
    }
    out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return out;
  }

  /** Entries of topic t's last topicEntries(): its terms are 0..kept, its negatives kept..total. */
  private kept = 0;
  private total = 0;

  /** Decays topic t's scored terms and negatives into entries; returns its score. */
  private topicEntries(t: number): number {
    const { topicFirst, entryValue } = this;
    const kept = this.decay(this.byTopic, topicFirst[t], topicFirst[t + 1], 0);
    const total = this.decay(this.topicNegatives, 0, this.negativesOf(t), kept);
    this.kept = kept;
    this.total = total;
    // Summed in the order the entries were made: a float sum depends on it.
    let score = 0;
    for (let e = 0; e < kept; e++) score += entryValue[e];
    for (let e = kept; e < total; e++) score -= entryValue[e];
    return score;
  }

  /**
   * The rule pass with its signals recorded for every topic that has a term (and no unmet gate),
   * then the decision: the rules' own, or the second opinion's where it may speak. Scores first
   * and decides after, since each topic's features read the other topics' scores; the entries of
   * the topics kept are then made again for their evidence.
   */
  private withSignals(signals: ArticleSignals, opinion: SecondOpinion | null): TopicMatch[] {
    const topics = this.matcher.topics;
    const { topicFirst, entryScored, scoredField, scoredRole } = this;
    const { group } = this.roles;
    for (let t = 0; t < topics.length; t++) {
      const topic = topics[t];
      if (topicFirst[t] === topicFirst[t + 1]) continue;
      if (topic.requires !== null && !this.anyFree(topic.requires)) continue;
      const score = this.topicEntries(t);
      let titleHits = 0;
      let terms = 0;
      let concepts = 0;
      let lastRole = -1;
      for (let e = 0; e < this.kept; e++) {
        const s = entryScored[e];
        if (scoredField[s] === TITLE) titleHits++;
        const r = scoredRole[s];
        // Entries come grouped by term (decay()), so a new term is a change of role.
        if (r !== lastRole) {
          terms++;
          concepts |= 1 << (group[r] & 31);
          lastRole = r;
        }
      }
      let negatives = 0;
      for (let e = this.kept; e < this.total; e++) negatives += this.entryValue[e];
      signals.present[t] = 1;
      signals.score[t] = score;
      signals.titleHits[t] = titleHits;
      signals.bodyHits[t] = this.kept - titleHits;
      signals.terms[t] = terms;
      signals.concepts[t] = popCount(concepts);
      signals.negatives[t] = negatives;
    }
    const out: TopicMatch[] = [];
    for (let t = 0; t < topics.length; t++) {
      if (signals.present[t] === 0) continue;
      const byRules = signals.score[t] >= topics[t].threshold;
      if (!(opinion ? opinion.decide(signals, t) : byRules)) continue;
      const score = this.topicEntries(t);
      const evidence = this.evidence(this.kept, this.total);
      // A topic the model adds shows the terms the rules found for it; with none readable, it is not added.
      if (!byRules && !evidence.some((e) => (e.weight ?? 0) > 0)) continue;
      out.push({ id: topics[t].id, score: round2(score), evidence });
    }
    out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return out;
  }

  private anyFree(anchors: readonly number[]): boolean {
    for (const a of anchors) if (this.anchorFree[a] === 1) return true;
    return false;
  }

  private readField(field: number, value: string, signals: ArticleSignals | null): void {
    const matcher = this.matcher;
    const count = matcher.findHits(value);
    if (signals !== null && value.length > 0) signals.bag.add(matcher.matchText.units, matcher.matchText.length);
    if (count === 0) return;
    this.reserve(count);
    const { hitTerm, hitStart, hitEnd } = matcher;
    const { first, roleOf, kind, topic, anchor, weight, near, nearMask, within } = this.roles;
    const { sentence, markerHit, negativeHit, negativeRole, anchorHit, anchorId, anchorBits } = this;
    const scoring = this.scoring;
    const title = field === TITLE;
    // Titles are one sentence; bodies are split so list-like sentences and the lead can be told apart.
    const sentences = title ? null : matcher.sentences(value);
    this.fieldValue = value;
    this.fieldSentences = sentences;

    // Sentences of the hits; threat-list markers, negative phrases and anchors, as hit indices.
    let markers = 0;
    let negatives = 0;
    let anchors = 0;
    let terms = 0;
    let fieldAnchorBits = 0;
    // The topic terms among the roles, as (hit, role) pairs in hit order, for the scoring below.
    const { candidateHit, candidateRole, candidateValue } = this;
    for (let k = 0; k < count; k++) {
      sentence[k] = sentences ? sentences.indexNear(hitStart[k], k > 0 ? sentence[k - 1] : 0) : 0;
      for (let i = first[hitTerm[k]], last = first[hitTerm[k] + 1]; i < last; i++) {
        const r = roleOf[i];
        const roleKind = kind[r];
        if (roleKind === ROLE_TERM) {
          candidateHit[terms] = k;
          candidateRole[terms++] = r;
        } else if (roleKind === ROLE_LIST) markerHit[markers++] = k;
        else if (roleKind === ROLE_NEGATIVE) {
          negativeHit[negatives] = k;
          negativeRole[negatives++] = r;
        } else if (roleKind === ROLE_ANCHOR) {
          anchorHit[anchors] = k;
          anchorBits[anchors] = anchorBit(anchor[r]);
          fieldAnchorBits |= anchorBits[anchors];
          anchorId[anchors++] = anchor[r];
        }
      }
    }
    this.markerCount = markers;
    this.negativeCount = negatives;
    this.anchorCount = anchors;
    this.fieldAnchorBits = fieldAnchorBits;
    if (markers > 0) this.countMarkers(count, sentences ? Math.max(1, sentences.count) : 1);

    // An anchor outside a threat list opens the topics that require its set.
    const anchorFree = this.anchorFree;
    for (let a = 0; a < anchors; a++) {
      if (anchorFree[anchorId[a]] === 0 && !this.inList(anchorHit[a])) anchorFree[anchorId[a]] = 1;
    }

    const titleWeight = scoring.titleWeight;
    for (let j = 0; j < negatives; j++) {
      const k = negativeHit[j];
      const r = negativeRole[j];
      this.pushScored(r, field, hitStart[k], hitEnd[k], weight[r] * (title ? titleWeight : 1));
    }
    if (terms === 0) return;

    const { maxEndUpTo, minStartFrom } = this;
    let maxEnd = -1;
    for (let k = 0; k < count; k++) maxEndUpTo[k] = maxEnd = Math.max(maxEnd, hitEnd[k]);
    let minStart = 0x7fffffff;
    for (let k = count - 1; k >= 0; k--) minStartFrom[k] = minStart = Math.min(minStart, hitStart[k]);

    const lead = sentences ? sentences.leadIndex() : -1;
    // The terms that count become the candidates, kept in place (a kept term's slot is never
    // ahead of the one it is read from).
    let candidates = 0;
    // The first negative that may still overlap a hit from k on: every hit from k on starts at
    // minStartFrom[k] or later, so a negative up to which every hit has ended by then is behind them all.
    let negativeFrom = 0;
    for (let j = 0; j < terms; j++) {
      const k = candidateHit[j];
      const r = candidateRole[j];
      const start = hitStart[k];
      const end = hitEnd[k];
      while (negativeFrom < negatives && maxEndUpTo[negativeHit[negativeFrom]] <= minStartFrom[k]) negativeFrom++;
      // Inside a negative phrase of this topic (or of all topics) the term is not itself.
      if (negativeFrom < negatives && this.negated(negativeFrom, topic[r], start, end)) continue;
      const rule = near[r];
      if (rule !== null && !this.anchorNear(rule, nearMask[r], within[r], start, end)) continue;
      let f = title ? titleWeight : sentence[k] === lead ? scoring.leadWeight : 1;
      if (this.inList(k)) f *= scoring.listWeight;
      candidateHit[candidates] = k;
      candidateRole[candidates] = r;
      candidateValue[candidates++] = weight[r] * f;
    }
    // A term inside a longer term of the same topic ("operation" in "anti-drug operation") is not counted twice.
    for (let c = 0; c < candidates; c++) {
      const k = candidateHit[c];
      if (!this.insideLonger(c, candidates)) this.pushScored(candidateRole[c], field, hitStart[k], hitEnd[k], candidateValue[c]);
    }
  }

  /** Room for a field of `count` hits (each with up to maxPerTerm roles) on top of what the article has scored. */
  private reserve(count: number): void {
    if (this.sentence.length < count) {
      const size = Math.max(count, this.sentence.length * 2);
      this.sentence = new Int32Array(size);
      this.listState = new Uint8Array(size);
      this.maxEndUpTo = new Int32Array(size);
      this.minStartFrom = new Int32Array(size);
    }
    const roles = count * this.roles.maxPerTerm;
    if (this.markerHit.length < roles) {
      const size = Math.max(roles, this.markerHit.length * 2);
      this.markerHit = new Int32Array(size);
      this.negativeHit = new Int32Array(size);
      this.negativeRole = new Int32Array(size);
      this.anchorHit = new Int32Array(size);
      this.anchorId = new Int32Array(size);
      this.anchorBits = new Int32Array(size);
      this.candidateHit = new Int32Array(size);
      this.candidateRole = new Int32Array(size);
      this.candidateValue = new Float64Array(size);
    }
    const scored = this.scoredCount + roles;
    if (this.scoredRole.length < scored) {
      const size = Math.max(scored, this.scoredRole.length * 2);
      // The title's scored terms are kept while the body's are added.
      this.scoredRole = copyInto(new Int32Array(size), this.scoredRole);
      this.scoredField = copyInto(new Uint8Array(size), this.scoredField);
      this.scoredStart = copyInto(new Int32Array(size), this.scoredStart);
      this.scoredEnd = copyInto(new Int32Array(size), this.scoredEnd);
      this.scoredValue = copyInto(new Float64Array(size), this.scoredValue);
      this.byTopic = new Int32Array(size);
      this.negatives = new Int32Array(size);
      this.topicNegatives = new Int32Array(size);
      this.nextInGroup = new Int32Array(size);
      this.groupHead = new Int32Array(size);
      this.entryScored = new Int32Array(size);
      this.entryValue = new Float64Array(size);
      this.entryWeight = new Float64Array(size);
    }
  }

  private pushScored(role: number, field: number, start: number, end: number, value: number): void {
    const s = this.scoredCount++;
    this.scoredRole[s] = role;
    this.scoredField[s] = field;
    this.scoredStart[s] = start;
    this.scoredEnd[s] = end;
    this.scoredValue[s] = value;
  }

  /** Threat-list markers per sentence, and a fresh list state, for a field that has markers. */
  private countMarkers(count: number, sentenceCount: number): void {
    if (this.markersIn.length < sentenceCount) {
      this.markersIn = new Int32Array(Math.max(sentenceCount, this.markersIn.length * 2));
      this.separatorsIn = new Int32Array(this.markersIn.length);
    }
    this.markersIn.fill(0, 0, sentenceCount);
    this.separatorsIn.fill(-1, 0, sentenceCount);
    this.listState.fill(0, 0, count);
    for (let m = 0; m < this.markerCount; m++) this.markersIn[this.sentence[this.markerHit[m]]]++;
  }

  /** Whether hit k is in a sentence that enumerates threats (asked lazily: most hits never are). */
  private inList(k: number): boolean {
    if (this.markerCount === 0) return false;
    if (this.listState[k] === 0) this.listState[k] = this.enumerates(k) ? 2 : 1;
    return this.listState[k] === 2;
  }

  private enumerates(k: number): boolean {
    const { hitStart, hitEnd } = this.matcher;
    const { sentence, markerHit, scoring } = this;
    const at = sentence[k];
    // Too few markers in the whole sentence: no need to look at them.
    if (this.markersIn[at] === 0 || this.markersIn[at] < scoring.listMarkersMin) return false;
    let others = 0;
    for (let m = 0; m < this.markerCount; m++) {
      const h = markerHit[m];
      if (sentence[h] === at && (hitEnd[h] <= hitStart[k] || hitStart[h] >= hitEnd[k])) others++;
    }
    if (others < scoring.listMarkersMin) return false;
    let separators = this.separatorsIn[at];
    if (separators < 0) {
      separators = this.fieldSentences ? this.fieldSentences.separators(at) : countSeparators(this.fieldValue);
      this.separatorsIn[at] = separators;
    }
    return separators >= scoring.listSeparatorsMin;
  }

  /**
   * Whether start..end overlaps a negative phrase of `topic` or of all topics in this field,
   * looking from negative `from` on, up to the first from which every hit starts at `end` or later.
   */
  private negated(from: number, topic: number, start: number, end: number): boolean {
    const { hitStart, hitEnd } = this.matcher;
    const { negativeHit, negativeRole, minStartFrom } = this;
    const roleTopic = this.roles.topic;
    for (let j = from; j < this.negativeCount; j++) {
      const n = negativeHit[j];
      if (minStartFrom[n] >= end) return false;
      const t = roleTopic[negativeRole[j]];
      if ((t === ALL_TOPICS || t === topic) && hitStart[n] < end && start < hitEnd[n]) return true;
    }
    return false;
  }

  /** Whether an anchor of one of the `rule` sets lies within `within` characters of start..end (not on it). */
  private anchorNear(rule: readonly number[], mask: number, within: number, start: number, end: number): boolean {
    // None of the rule's sets among the field's anchors (the usual case for rare sets): no search.
    if ((this.fieldAnchorBits & mask) === 0) return false;
    const { hitStart, hitEnd } = this.matcher;
    const { anchorHit, anchorId, anchorBits, maxEndUpTo, minStartFrom } = this;
    const from = start - within;
    const to = end + within;
    // Skip the anchors before which every hit ends before `from`, and stop at the first after which every hit starts after `to`.
    let a = 0;
    let hi = this.anchorCount;
    while (a < hi) {
      const mid = (a + hi) >> 1;
      if (maxEndUpTo[anchorHit[mid]] < from) a = mid + 1;
      else hi = mid;
    }
    for (; a < this.anchorCount && minStartFrom[anchorHit[a]] <= to; a++) {
      const s = hitStart[anchorHit[a]];
      const e = hitEnd[anchorHit[a]];
      if ((anchorBits[a] & mask) !== 0 && !(s < end && start < e) && Math.max(0, s - end, start - e) <= within && rule.includes(anchorId[a])) return true;
    }
    return false;
  }

  /** Whether candidate c lies inside a longer candidate of its topic (or an equal one that weighs more or comes first). */
  private insideLonger(c: number, candidates: number): boolean {
    const { hitStart, hitEnd } = this.matcher;
    const { candidateHit, maxEndUpTo, minStartFrom } = this;
    const k = candidateHit[c];
    const start = hitStart[k];
    const end = hitEnd[k];
    // A holder ends at or after `end` and starts at or before `start`: earlier candidates are
    // looked at while one of them may end that late, later ones while one may start that early.
    for (let j = c - 1; j >= 0 && maxEndUpTo[candidateHit[j]] >= end; j--) if (this.holds(j, c, start, end)) return true;
    for (let j = c + 1; j < candidates && minStartFrom[candidateHit[j]] <= start; j++) if (this.holds(j, c, start, end)) return true;
    return false;
  }

  private holds(o: number, c: number, start: number, end: number): boolean {
    const { hitStart, hitEnd } = this.matcher;
    const k = this.candidateHit[o];
    if (hitStart[k] > start || end > hitEnd[k]) return false;
    const topic = this.roles.topic;
    if (topic[this.candidateRole[o]] !== topic[this.candidateRole[c]]) return false;
    const length = end - start;
    const other = hitEnd[k] - hitStart[k];
    // Two terms of one topic on the same words ("interdict*" and "interdiction") count once: the
    // heavier, or the first of equals.
    const value = this.candidateValue;
    return other > length || (other === length && (value[o] > value[c] || (value[o] === value[c] && o < c)));
  }

  /** Scored terms by topic, and the scored negatives, both in scored order. */
  private groupByTopic(): void {
    const { topicFirst, topicFill, byTopic, scoredRole } = this;
    const { kind, topic } = this.roles;
    topicFirst.fill(0);
    let negatives = 0;
    for (let s = 0; s < this.scoredCount; s++) {
      const r = scoredRole[s];
      if (kind[r] === ROLE_TERM) topicFirst[topic[r] + 1]++;
      else this.negatives[negatives++] = s;
    }
    this.scoredNegatives = negatives;
    for (let t = 0; t < topicFill.length; t++) {
      topicFirst[t + 1] += topicFirst[t];
      topicFill[t] = topicFirst[t];
    }
    for (let s = 0; s < this.scoredCount; s++) {
      const r = scoredRole[s];
      if (kind[r] === ROLE_TERM) byTopic[topicFill[topic[r]]++] = s;
    }
  }

  /** The scored negatives of topic t (its own and those of every topic) into topicNegatives; returns how many. */
  private negativesOf(t: number): number {
    const topic = this.roles.topic;
    let n = 0;
    for (let i = 0; i < this.scoredNegatives; i++) {
      const s = this.negatives[i];
      const own = topic[this.scoredRole[s]];
      if (own === ALL_TOPICS || own === t) this.topicNegatives[n++] = s;
    }
    return n;
  }

  /**
   * Repeats of one term count repeatDecay, repeatDecay², … of their value, strongest first (the
   * earliest first among equals). Makes entries from index `at` for list[from..to), term by term in
   * order of first occurrence; returns the index after the last.
   */
  private decay(list: Int32Array, from: number, to: number, at: number): number {
    const { groupTail, nextInGroup, groupHead, entryScored, entryValue, scoredRole, scoredValue, scoredStart } = this;
    // Roles are unique per term and topic, so the role identifies "the same term".
    let groups = 0;
    for (let i = from; i < to; i++) {
      const s = list[i];
      const r = scoredRole[s];
      if (groupTail[r] < 0) groupHead[groups++] = s;
      else nextInGroup[groupTail[r]] = s;
      groupTail[r] = s;
      nextInGroup[s] = -1;
    }
    const repeatDecay = this.scoring.repeatDecay;
    let e = at;
    for (let g = 0; g < groups; g++) {
      const first = e;
      // Insertion sort, stable: a repeat moves only before one it strictly outranks.
      for (let s = groupHead[g]; s >= 0; s = nextInGroup[s]) {
        let i = e++;
        for (; i > first; i--) {
          const o = entryScored[i - 1];
          if (scoredValue[s] < scoredValue[o] || (scoredValue[s] === scoredValue[o] && scoredStart[s] >= scoredStart[o])) break;
          entryScored[i] = o;
        }
        entryScored[i] = s;
      }
      groupTail[scoredRole[groupHead[g]]] = -1;
      let f = 1;
      for (let i = first; i < e; i++) {
        entryValue[i] = scoredValue[entryScored[i]] * f;
        f *= repeatDecay;
      }
    }
    return e;
  }

  /** Evidence for entries 0..total (terms before `kept`, negatives after): the strongest maxEvidence. */
  private evidence(kept: number, total: number): Evidence[] {
    const { entryScored, entryValue, entryWeight, scoredRole, scoredField, scoredStart, scoredEnd } = this;
    for (let e = 0; e < total; e++) entryWeight[e] = e < kept ? round3(entryValue[e]) : -round3(entryValue[e]);
    const limit = Math.min(this.scoring.maxEvidence, total);
    if (this.top.length < limit) this.top = new Int32Array(Math.max(limit, this.top.length * 2));
    const top = this.top;
    // Stronger first, title before text and earlier before later among equals, and among entries
    // equal in all three, the order they were made (what a stable sort of them all would give).
    let n = 0;
    for (let e = 0; e < total; e++) {
      let at = n;
      while (at > 0 && this.ranksBefore(e, top[at - 1])) at--;
      if (at >= limit) continue;
      if (n < limit) n++;
      for (let i = n - 1; i > at; i--) top[i] = top[i - 1];
      top[at] = e;
    }
    const out: Evidence[] = [];
    for (let i = 0; i < n; i++) {
      const s = entryScored[top[i]];
      const term = this.roles.label[scoredRole[s]];
      out.push({ term, field: FIELD_NAMES[scoredField[s]], start: scoredStart[s], end: scoredEnd[s], weight: entryWeight[top[i]] });
    }
    return out;
  }

  private ranksBefore(e: number, other: number): boolean {
    const a = Math.abs(this.entryWeight[e]);
    const b = Math.abs(this.entryWeight[other]);
    if (a !== b) return a > b;
    const s = this.entryScored[e];
    const o = this.entryScored[other];
    if (this.scoredField[s] !== this.scoredField[o]) return this.scoredField[s] < this.scoredField[o];
    return this.scoredStart[s] < this.scoredStart[o];
  }
}

function popCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

function copyInto<T extends Int32Array | Uint8Array | Float64Array>(to: T, from: T): T {
  to.set(from);
  return to;
}

function countSeparators(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x3b || c === 0xff1b) n++;
  }
  return n;
}
