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
import { ALL_TOPICS, TopicMatcher, type TermRole } from './topic-matcher';
import { detectLanguage } from './language-detector';

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

type Field = 'title' | 'text';

interface Scored {
  role: Extract<TermRole, { kind: 'term' | 'negative' }>;
  field: Field;
  start: number;
  end: number;
  value: number;
}

interface AnchorHit {
  anchor: number;
  start: number;
  end: number;
  inList: boolean;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export class TopicClassifier {
  readonly taxonomyVersion: string;
  private readonly matcher: TopicMatcher;
  private readonly scoring: Scoring;

  constructor(readonly taxonomy: Taxonomy) {
    this.taxonomyVersion = taxonomy.version;
    this.scoring = taxonomy.scoring;
    this.matcher = new TopicMatcher(taxonomy);
  }

  /** Size of the compiled automaton, for operators and the bench. */
  get stats(): { terms: number; states: number; tableBytes: number } {
    const a = this.matcher.automaton;
    return { terms: a.terms.length, states: a.stateCount, tableBytes: a.tableBytes };
  }

  classify(input: ClassifyInput): ClassificationResult {
    const title = input.title ?? '';
    const text = input.text ?? '';
    const language = input.lang && /^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(input.lang) ? input.lang.toLowerCase() : detectLanguage(title, text);
    return { language, taxonomyVersion: this.taxonomyVersion, topics: this.topicsOf(title, text) };
  }

  /** Topics over threshold, highest score first. */
  topicsOf(title: string, text: string): TopicMatch[] {
    return this.score(title, text, false).filter((t) => t.assigned).map(({ assigned: _, ...match }) => match);
  }

  /** One topic's score and evidence even when it stays under threshold (to explain a miss). */
  scoreTopic(title: string, text: string, id: string): TopicMatch {
    const found = this.score(title, text, true).find((t) => t.id === id);
    return found ? { id: found.id, score: found.score, evidence: found.evidence } : { id: id as TopicId, score: 0, evidence: [] };
  }

  private score(title: string, text: string, all: boolean): (TopicMatch & { assigned: boolean })[] {
    const scored: Scored[] = [];
    const anchors: AnchorHit[] = [];
    this.readField('title', title, scored, anchors);
    this.readField('text', text, scored, anchors);
    if (scored.length === 0) return [];

    const topics = this.matcher.topics;
    const positive: Scored[][] = topics.map(() => []);
    const negative: Scored[][] = topics.map(() => []);
    for (const s of scored) {
      if (s.role.kind === 'term') positive[s.role.topic].push(s);
      else if (s.role.topic === ALL_TOPICS) for (const list of negative) list.push(s);
      else negative[s.role.topic].push(s);
    }

    const out: (TopicMatch & { assigned: boolean })[] = [];
    for (let t = 0; t < topics.length; t++) {
      if (positive[t].length === 0) continue;
      const gate = topics[t].requires;
      const gated = gate !== null && !anchors.some((a) => !a.inList && gate.includes(a.anchor));
      const kept = this.decay(positive[t]);
      const against = this.decay(negative[t]);
      let score = 0;
      for (const v of kept.values()) score += v;
      for (const v of against.values()) score -= v;
      const assigned = !gated && score >= topics[t].threshold;
      if (assigned || all) out.push({ id: topics[t].id, score: round(score, 2), evidence: this.evidence(kept, against), assigned });
    }
    out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return out;
  }

  private readField(field: Field, value: string, scored: Scored[], anchors: AnchorHit[]): void {
    const matcher = this.matcher;
    const count = matcher.findHits(value);
    if (count === 0) return;
    const { hitTerm, hitStart, hitEnd, roles } = matcher;
    const scoring = this.scoring;
    const title = field === 'title';
    // Titles are one sentence; bodies are split so list-like sentences and the lead can be told apart.
    const sentences = title ? null : matcher.sentences(value);
    const sentence = this.scratch(count);
    for (let k = 0; k < count; k++) sentence[k] = sentences ? sentences.indexOf(hitStart[k]) : 0;

    // Threat-list markers by sentence, and negative phrases, as hit indices.
    let markers: Map<number, number[]> | null = null;
    const negatives: number[] = [];
    const negativeRoles: Extract<TermRole, { kind: 'negative' }>[] = [];
    for (let k = 0; k < count; k++) {
      for (const role of roles[hitTerm[k]]) {
        if (role.kind === 'list') {
          markers ??= new Map();
          const list = markers.get(sentence[k]);
          if (list) list.push(k);
          else markers.set(sentence[k], [k]);
        } else if (role.kind === 'negative') {
          negatives.push(k);
          negativeRoles.push(role);
        }
      }
    }

    // 0 = not asked yet, 1 = not in a threat list, 2 = in one.
    const listState = markers ? new Uint8Array(count) : null;
    const separators = new Map<number, number>();
    const inList = (k: number): boolean => {
      if (!markers || !listState) return false;
      if (listState[k] === 0) listState[k] = computeInList(markers, k) ? 2 : 1;
      return listState[k] === 2;
    };
    const computeInList = (found: Map<number, number[]>, k: number): boolean => {
      const list = found.get(sentence[k]);
      if (!list) return false;
      let others = 0;
      for (const m of list) if (hitEnd[m] <= hitStart[k] || hitStart[m] >= hitEnd[k]) others++;
      if (others < scoring.listMarkersMin) return false;
      let seps = separators.get(sentence[k]);
      if (seps === undefined) {
        seps = title ? countSeparators(value) : sentences!.separators(sentence[k]);
        separators.set(sentence[k], seps);
      }
      return seps >= scoring.listSeparatorsMin;
    };

    const firstAnchor = anchors.length;
    for (let k = 0; k < count; k++) {
      for (const role of roles[hitTerm[k]]) {
        if (role.kind === 'anchor') anchors.push({ anchor: role.anchor, start: hitStart[k], end: hitEnd[k], inList: inList(k) });
      }
    }
    const lastAnchor = anchors.length;

    const titleWeight = scoring.titleWeight;
    for (let j = 0; j < negatives.length; j++) {
      const k = negatives[j];
      const role = negativeRoles[j];
      scored.push({ role, field, start: hitStart[k], end: hitEnd[k], value: role.weight * (title ? titleWeight : 1) });
    }
    const lead = sentences ? sentences.leadIndex() : -1;
    // Candidates by topic: a term inside a longer term of the same topic is compared only with those.
    const candidates: Scored[] = [];
    const byTopic = new Map<number, Scored[]>();
    for (let k = 0; k < count; k++) {
      const start = hitStart[k];
      const end = hitEnd[k];
      for (const role of roles[hitTerm[k]]) {
        if (role.kind !== 'term') continue;
        // Inside a negative phrase of this topic (or of all topics) the term is not itself.
        let negated = false;
        for (let j = 0; j < negatives.length && !negated; j++) {
          const t = negativeRoles[j].topic;
          const n = negatives[j];
          negated = (t === ALL_TOPICS || t === role.topic) && hitStart[n] < end && start < hitEnd[n];
        }
        if (negated) continue;
        if (role.near) {
          let near = false;
          for (let a = firstAnchor; a < lastAnchor && !near; a++) {
            const anchor = anchors[a];
            near = role.near.includes(anchor.anchor) && !(anchor.start < end && start < anchor.end) && Math.max(0, anchor.start - end, start - anchor.end) <= role.within;
          }
          if (!near) continue;
        }
        let f = title ? titleWeight : sentence[k] === lead ? scoring.leadWeight : 1;
        if (inList(k)) f *= scoring.listWeight;
        const c: Scored = { role, field, start, end, value: role.weight * f };
        candidates.push(c);
        const group = byTopic.get(role.topic);
        if (group) group.push(c);
        else byTopic.set(role.topic, [c]);
      }
    }
    // A term inside a longer term of the same topic ("operation" in "anti-drug operation") is not counted twice.
    for (const c of candidates) {
      const group = byTopic.get(c.role.topic)!;
      let inside = false;
      if (group.length > 1) {
        const length = c.end - c.start;
        for (let j = 0; j < group.length && !inside; j++) {
          const o = group[j];
          if (o === c || o.start > c.start || c.end > o.end) continue;
          const other = o.end - o.start;
          inside = other > length || (other === length && o.value > c.value);
        }
      }
      if (!inside) scored.push(c);
    }
  }

  private sentenceScratch = new Int32Array(256);

  /** A reusable per-hit array (one classifier classifies one article at a time). */
  private scratch(count: number): Int32Array {
    if (this.sentenceScratch.length < count) this.sentenceScratch = new Int32Array(Math.max(count, this.sentenceScratch.length * 2));
    return this.sentenceScratch;
  }

  /** Repeats of one term count repeatDecay, repeatDecay², … of their value, strongest first. */
  private decay(list: Scored[]): Map<Scored, number> {
    // Roles are unique per term and topic, so the role object identifies "the same term".
    const byTerm = new Map<TermRole, Scored[]>();
    for (const s of list) {
      const group = byTerm.get(s.role);
      if (group) group.push(s);
      else byTerm.set(s.role, [s]);
    }
    const out = new Map<Scored, number>();
    for (const group of byTerm.values()) {
      group.sort((a, b) => b.value - a.value || a.start - b.start);
      let f = 1;
      for (const s of group) {
        out.set(s, s.value * f);
        f *= this.scoring.repeatDecay;
      }
    }
    return out;
  }

  private evidence(kept: Map<Scored, number>, against: Map<Scored, number>): Evidence[] {
    const all: Evidence[] = [];
    for (const [s, v] of kept) all.push({ term: s.role.label, field: s.field, start: s.start, end: s.end, weight: round(v, 3) });
    for (const [s, v] of against) all.push({ term: s.role.label, field: s.field, start: s.start, end: s.end, weight: -round(v, 3) });
    all.sort((a, b) => Math.abs(b.weight!) - Math.abs(a.weight!) || (a.field === b.field ? a.start - b.start : a.field === 'title' ? -1 : 1));
    return all.slice(0, this.scoring.maxEvidence);
  }
}

function countSeparators(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x3b || c === 0xff1b) n++;
  }
  return n;
}
