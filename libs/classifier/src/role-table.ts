/**
 * The roles of every compiled term (topic term, negative term, anchor, threat-list marker) as flat
 * arrays indexed by a role number, so the scoring loops of the classifier read numbers from typed
 * arrays instead of walking the role objects of the matcher (whose four shapes make every property
 * read polymorphic) and can key scratch arrays by role instead of Maps.
 */
import type { TermRole } from './topic-matcher';

export const ROLE_TERM = 0;
export const ROLE_NEGATIVE = 1;
export const ROLE_ANCHOR = 2;
export const ROLE_LIST = 3;

const KIND_CODE: Record<TermRole['kind'], number> = { term: ROLE_TERM, negative: ROLE_NEGATIVE, anchor: ROLE_ANCHOR, list: ROLE_LIST };

/** The bit of anchor set a in an anchor mask (sets 32 apart share one: a mask only rules out). */
export function anchorBit(a: number): number {
  return 1 << (a & 31);
}

export class RoleTable {
  /** Number of distinct roles; a role number is below it. */
  readonly count: number;
  /** The most roles one term has. */
  readonly maxPerTerm: number;
  /** Roles of term i: roleOf[first[i]] .. roleOf[first[i + 1] - 1], in the matcher's order. */
  readonly first: Int32Array;
  readonly roleOf: Int32Array;
  /** Per role: ROLE_TERM, ROLE_NEGATIVE, ROLE_ANCHOR or ROLE_LIST. */
  readonly kind: Uint8Array;
  /** Per term or negative role: its topic (ALL_TOPICS for a negative of every topic). */
  readonly topic: Int32Array;
  /** Per anchor role: its anchor set. */
  readonly anchor: Int32Array;
  /** Per term role: its term group (concept) within its topic. */
  readonly group: Int32Array;
  /** Per term or negative role: its weight. */
  readonly weight: Float64Array;
  /** Per term role: its context rule (anchor sets one of which must be within `within`), or null. */
  readonly near: (readonly number[] | null)[];
  /** Per term role: its context rule's anchor sets as bits (set a sets bit a mod 32), to rule anchors out cheaply. */
  readonly nearMask: Int32Array;
  readonly within: Float64Array;
  /** Per role: the term as written in the taxonomy, for evidence. */
  readonly label: string[];

  constructor(roles: readonly (readonly TermRole[])[]) {
    // A role is numbered by object: repeats of "the same term" are repeats of one role object.
    const number = new Map<TermRole, number>();
    const distinct: TermRole[] = [];
    this.first = new Int32Array(roles.length + 1);
    const flat: number[] = [];
    let maxPerTerm = 0;
    roles.forEach((list, term) => {
      this.first[term] = flat.length;
      maxPerTerm = Math.max(maxPerTerm, list.length);
      for (const role of list) {
        let r = number.get(role);
        if (r === undefined) {
          r = distinct.length;
          number.set(role, r);
          distinct.push(role);
        }
        flat.push(r);
      }
    });
    this.first[roles.length] = flat.length;
    this.roleOf = Int32Array.from(flat);
    this.maxPerTerm = maxPerTerm;
    this.count = distinct.length;
    this.kind = Uint8Array.from(distinct, (r) => KIND_CODE[r.kind]);
    this.topic = Int32Array.from(distinct, (r) => (r.kind === 'term' || r.kind === 'negative' ? r.topic : 0));
    this.anchor = Int32Array.from(distinct, (r) => (r.kind === 'anchor' ? r.anchor : 0));
    this.group = Int32Array.from(distinct, (r) => (r.kind === 'term' ? r.group : 0));
    this.weight = Float64Array.from(distinct, (r) => (r.kind === 'term' || r.kind === 'negative' ? r.weight : 0));
    this.near = distinct.map((r) => (r.kind === 'term' ? r.near : null));
    this.nearMask = Int32Array.from(this.near, (sets) => (sets ?? []).reduce((mask, a) => mask | anchorBit(a), 0));
    this.within = Float64Array.from(distinct, (r) => (r.kind === 'term' ? r.within : 0));
    this.label = distinct.map((r) => r.label);
  }
}
