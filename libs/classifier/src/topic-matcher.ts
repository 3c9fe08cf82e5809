/**
 * Compiles a validated taxonomy into one term trie holding every term of every topic, the anchor
 * sets of the context rules, the threat-list markers and the negative terms, and finds all of them
 * in a field of an article, with offsets into the original string.
 */
import { TOPIC_IDS, type TopicId } from '@monitor/contracts';
import { TERM_LANGUAGES, type Taxonomy, type TermSet } from './taxonomy-schema';
import { MatchTextBuffer, isWordUnit, normaliseTerm } from './match-text';
import type { CompiledTerm } from './term-trie';
import { TermScanner } from './term-scanner';
import { SentenceSpans } from './sentence-spans';

export type TermRole =
  | { kind: 'term'; topic: number; group: number; weight: number; near: readonly number[] | null; within: number; label: string }
  | { kind: 'negative'; topic: number; weight: number; label: string }
  | { kind: 'anchor'; anchor: number; label: string }
  | { kind: 'list'; label: string };

/** Negative terms listed at the top of the file apply to every topic. */
export const ALL_TOPICS = -1;

function sameSlot(a: TermRole, b: TermRole): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'anchor' && b.kind === 'anchor') return a.anchor === b.anchor;
  if ((a.kind === 'term' || a.kind === 'negative') && (b.kind === 'term' || b.kind === 'negative')) return a.topic === b.topic;
  return true;
}

function weightOf(r: TermRole): number {
  return r.kind === 'term' || r.kind === 'negative' ? r.weight : 0;
}

export interface CompiledTopic {
  id: TopicId;
  threshold: number;
  requires: readonly number[] | null;
}

export class TopicMatcher {
  readonly scanner: TermScanner;
  /** Roles of each compiled term (one normalised term may be a topic term and an anchor at once). */
  readonly roles: TermRole[][];
  readonly topics: CompiledTopic[];
  readonly anchorNames: string[];
  private readonly buffer: MatchTextBuffer;
  private readonly prefix: Uint8Array;

  constructor(taxonomy: Taxonomy) {
    const index = new Map<string, number>();
    const terms: CompiledTerm[] = [];
    this.roles = [];
    const add = (written: string, role: TermRole): void => {
      const prefix = written.endsWith('*');
      const text = normaliseTerm(prefix ? written.slice(0, -1) : written, prefix);
      const key = `${prefix ? '*' : ''}${text}`;
      let i = index.get(key);
      if (i === undefined) {
        i = terms.length;
        index.set(key, i);
        terms.push({ text, prefix });
        this.roles.push([]);
      }
      // Two written forms with one normal form ("изъято", "изъяты") are one term: keep the heavier role.
      const same = this.roles[i].findIndex((r) => sameSlot(r, role));
      if (same < 0) this.roles[i].push(role);
      else if (weightOf(role) > weightOf(this.roles[i][same])) this.roles[i][same] = role;
    };
    const eachTerm = (set: TermSet, fn: (term: string) => void): void => {
      for (const lang of TERM_LANGUAGES) set[lang]?.forEach(fn);
    };

    this.anchorNames = Object.keys(taxonomy.anchors);
    this.anchorNames.forEach((name, anchor) =>
      eachTerm(taxonomy.anchors[name], (t) => add(t, { kind: 'anchor', anchor, label: t })),
    );
    if (taxonomy.threatList) eachTerm(taxonomy.threatList, (t) => add(t, { kind: 'list', label: t }));
    taxonomy.negative?.forEach((g) => eachTerm(g, (t) => add(t, { kind: 'negative', topic: ALL_TOPICS, weight: g.weight, label: t })));

    this.topics = taxonomy.topics.map((topic, t) => {
      topic.terms.forEach((g, group) => {
        const near = g.near ? g.near.map((n) => this.anchorNames.indexOf(n)) : null;
        const within = g.within ?? taxonomy.scoring.defaultWithin;
        eachTerm(g, (term) => add(term, { kind: 'term', topic: t, group, weight: g.weight, near, within, label: term }));
      });
      topic.negative?.forEach((g) => eachTerm(g, (term) => add(term, { kind: 'negative', topic: t, weight: g.weight, label: term })));
      return {
        id: topic.id,
        threshold: topic.threshold,
        requires: topic.requires ? topic.requires.map((n) => this.anchorNames.indexOf(n)) : null,
      };
    });
    if (this.topics.some((t) => !TOPIC_IDS.includes(t.id))) throw new Error('unreachable: schema checks topic ids');
    this.scanner = new TermScanner(terms);
    this.buffer = new MatchTextBuffer(this.scanner.termFirstUnits);
    this.prefix = Uint8Array.from(terms, (t) => (t.prefix ? 1 : 0));
  }

  /** Size of the compiled matchers, for operators and the bench. */
  get stats(): { terms: number; states: number; tableBytes: number } {
    return this.scanner.stats;
  }

  /** Hits of the last findHits(): term index and offsets into the original field string. */
  hitTerm = new Int32Array(256);
  hitStart = new Int32Array(256);
  hitEnd = new Int32Array(256);

  /** The normalised text of the field last given to findHits() (a non-empty one). */
  get matchText(): MatchTextBuffer {
    return this.buffer;
  }

  /** Sentences of the field last given to findHits(). */
  sentences(field: string): SentenceSpans {
    return new SentenceSpans(field, this.buffer.sentenceStarts, this.buffer.sentenceCount);
  }

  /**
   * Finds every taxonomy term in `field`, in order of end offset, into hitTerm/hitStart/hitEnd
   * (reused between calls, so a field allocates nothing); returns how many.
   */
  findHits(field: string): number {
    if (field.length === 0) return 0;
    const text = this.buffer.fill(field);
    const hits = this.scanner.scan(text);
    const count = hits.count;
    if (this.hitTerm.length < count) {
      const size = Math.max(count, this.hitTerm.length * 2);
      this.hitTerm = new Int32Array(size);
      this.hitStart = new Int32Array(size);
      this.hitEnd = new Int32Array(size);
    }
    const { hitTerm, hitStart, hitEnd } = this;
    const prefix = this.prefix;
    for (let k = 0; k < count; k++) {
      const term = hits.term[k];
      hitTerm[k] = term;
      hitStart[k] = text.originalStart(hits.start[k]);
      let end = text.originalEnd(hits.end[k] - 1);
      // A prefix term ("наркот*") shows the whole word it matched in the evidence.
      if (prefix[term] === 1) while (end < field.length && isWordUnit(field.charCodeAt(end))) end++;
      hitEnd[k] = end;
    }
    return count;
  }
}
