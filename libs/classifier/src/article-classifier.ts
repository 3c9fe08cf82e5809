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
import { ALL_TOPICS, TopicMatcher, type FieldHit, type TermRole } from './topic-matcher';
import { SentenceSpans } from './sentence-spans';
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
    const hits = this.matcher.find(value);
    if (hits.length === 0) return;
    const roles = this.matcher.roles;
    const scoring = this.scoring;
    // Titles are one sentence; bodies are split so list-like sentences and the lead can be told apart.
    const sentences = field === 'text' ? new SentenceSpans(value) : null;
    const lead = sentences ? sentences.leadIndex() : -1;
    // Sentence index and list membership are asked several times per hit: compute each once.
    const sentenceMemo = new Map<FieldHit, number>();
    const sentenceOf = (h: FieldHit): number => {
      if (!sentences) return 0;
      let k = sentenceMemo.get(h);
      if (k === undefined) {
        k = sentences.indexOf(h.start);
        sentenceMemo.set(h, k);
      }
      return k;
    };

    const markers = new Map<number, FieldHit[]>();
    const negatives: { hit: FieldHit; role: Extract<TermRole, { kind: 'negative' }> }[] = [];
    for (const h of hits) {
      for (const role of roles[h.term]) {
        if (role.kind === 'list') {
          const k = sentenceOf(h);
          const list = markers.get(k);
          if (list) list.push(h);
          else markers.set(k, [h]);
        } else if (role.kind === 'negative') negatives.push({ hit: h, role });
      }
    }
    const separators = new Map<number, number>();
    const listMemo = new Map<FieldHit, boolean>();
    const inList = (h: FieldHit): boolean => {
      if (markers.size === 0) return false;
      let known = listMemo.get(h);
      if (known === undefined) {
        known = computeInList(h);
        listMemo.set(h, known);
      }
      return known;
    };
    const computeInList = (h: FieldHit): boolean => {
      const k = sentenceOf(h);
      const found = markers.get(k);
      if (!found) return false;
      let others = 0;
      for (const m of found) if (m.end <= h.start || m.start >= h.end) others++;
      if (others < scoring.listMarkersMin) return false;
      let seps = separators.get(k);
      if (seps === undefined) {
        seps = field === 'title' ? countSeparators(value) : sentences!.separators(k);
        separators.set(k, seps);
      }
      return seps >= scoring.listSeparatorsMin;
    };

    const fieldAnchors: AnchorHit[] = [];
    for (const h of hits) {
      for (const role of roles[h.term]) {
        if (role.kind === 'anchor') fieldAnchors.push({ anchor: role.anchor, start: h.start, end: h.end, inList: inList(h) });
      }
    }
    for (const a of fieldAnchors) anchors.push(a);

    const factor = (h: FieldHit): number => {
      let f = field === 'title' ? scoring.titleWeight : sentenceOf(h) === lead ? scoring.leadWeight : 1;
      if (inList(h)) f *= scoring.listWeight;
      return f;
    };

    for (const { hit, role } of negatives) {
      scored.push({ role, field, start: hit.start, end: hit.end, value: role.weight * (field === 'title' ? scoring.titleWeight : 1) });
    }
    const candidates: Scored[] = [];
    for (const h of hits) {
      for (const role of roles[h.term]) {
        if (role.kind !== 'term') continue;
        // Inside a negative phrase of this topic (or of all topics) the term is not itself.
        if (negatives.some((n) => (n.role.topic === ALL_TOPICS || n.role.topic === role.topic) && n.hit.start < h.end && h.start < n.hit.end)) continue;
        if (role.near && !fieldAnchors.some((a) => role.near!.includes(a.anchor) && !(a.start < h.end && h.start < a.end) && gap(a, h) <= role.within)) continue;
        candidates.push({ role, field, start: h.start, end: h.end, value: role.weight * factor(h) });
      }
    }
    // A term inside a longer term of the same topic ("operation" in "anti-drug operation") is not counted twice.
    for (const c of candidates) {
      const inside = candidates.some(
        (o) => o !== c && o.role.topic === c.role.topic && o.start <= c.start && c.end <= o.end && (o.end - o.start > c.end - c.start || (o.end - o.start === c.end - c.start && o.value > c.value)),
      );
      if (!inside) scored.push(c);
    }
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

function gap(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return Math.max(0, a.start - b.end, b.start - a.end);
}

function countSeparators(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0xff0c || c === 0x3001 || c === 0x3b || c === 0xff1b) n++;
  }
  return n;
}
