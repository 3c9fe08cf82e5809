/**
 * Every term of the taxonomy in one trie, walked from the positions where a term can start: by the
 * word-boundary rule a term that begins with a letter or digit of a spaced script (Latin,
 * Cyrillic…) starts only where a word starts, and the others (Chinese above all, since Chinese is
 * written without spaces) start at a unit that is not part of such a word. A walk stops at the
 * first unit no term continues with; most leave after a unit or two, over the top of the trie.
 *
 * Hand-written: the packaged matcher we tried first (`modern-ahocorasick` 3.3) segments its input
 * into grapheme clusters with Intl.Segmenter on every call, ~800 articles/s on 2,000-character
 * articles with 1,500 terms, 25× below the target. Then an Aho–Corasick automaton of our own, with
 * a dense transition table (8 MB): one table read per unit of the article, most of them cache
 * misses. Walking from start positions reads far fewer units, and it finds exactly what that
 * automaton found (term-scanner.spec.ts checks it against a brute-force search).
 *
 * The trie is a double array (Aoe's layout): the child of the state at position s for class c sits
 * at position base[s] + c when that position's check is s. Some 10,000 states take ~40 KB in
 * 16-bit cells, which stay in the processor's cache; paths without branches are walked as chains
 * (see the constructor).
 */
import { isWordUnit } from './match-text';
import { pushHit, type TermHits } from './term-hits';

export interface CompiledTerm {
  /** Normalised text of the term. */
  text: string;
  /** A trailing "*" in the taxonomy: the last word may continue (prefix of a word). */
  prefix: boolean;
}

export class TermTrie {
  private readonly classOf = new Uint16Array(0x10000);
  /**
   * cell[2p] = base of the state at position p; cell[2p + 1] = its parent's position times two,
   * plus one if some term ends at it (all bits set: no state there).
   */
  private readonly cell: Uint16Array | Uint32Array;
  /** Per position where terms end: out[2p] = where its terms begin in outTerm, out[2p + 1] = how many (side by side: one read). */
  private readonly out: Int32Array;
  /**
   * The terms that end at each such state, as term index times two, plus one when the term needs
   * a word boundary on its right (a whole word that ends in a letter): read with the term, not
   * from a table of its own.
   */
  private readonly outTerm: Int32Array;
  /** A base at or above chainFlag marks a chain state: chains[3k..3k+2] = first unit, units, target. */
  private readonly chainFlag: number;
  private readonly chains: Int32Array;
  private readonly chainUnits: Uint16Array;
  readonly stateCount: number;

  /** Hits report a term by its index in `terms`. */
  constructor(terms: readonly CompiledTerm[]) {
    const used = new Uint8Array(0x10000);
    for (const t of terms) for (let k = 0; k < t.text.length; k++) used[t.text.charCodeAt(k)] = 1;
    let classes = 1;
    for (let c = 0; c < 0x10000; c++) if (used[c] === 1) this.classOf[c] = classes++;

    const trie: Map<number, number>[] = [new Map()];
    const ending: number[][] = [[]];
    for (let i = 0; i < terms.length; i++) {
      const text = terms[i].text;
      let s = 0;
      for (let k = 0; k < text.length; k++) {
        const cls = this.classOf[text.charCodeAt(k)];
        let next = trie[s].get(cls);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          ending.push([]);
          trie[s].set(cls, next);
        }
        s = next;
      }
      ending[s].push(i);
    }
    this.stateCount = trie.length;

    // Place the states breadth-first, each state's children at the first base where all of them
    // fit, so that the shallow states every walk visits end up side by side. Free positions are
    // kept in a linked list, so a search skips the filled stretch instead of testing every base.
    let size = trie.length + 2 * classes + 1024;
    let base = new Int32Array(size);
    let check = new Int32Array(size).fill(-1);
    let nextFree = Int32Array.from({ length: size }, (_, p) => p + 1);
    let prevFree = Int32Array.from({ length: size }, (_, p) => p - 1);
    const positionOf = new Int32Array(trie.length);
    check[0] = 0; // the root sits at position 0 and is nobody's child
    let firstFree = 1; // head of the free list; `size` ends it
    const grow = (needed: number): void => {
      const grown = Math.max(size * 2, needed + 1);
      const nb = new Int32Array(grown);
      nb.set(base);
      const nc = new Int32Array(grown).fill(-1);
      nc.set(check);
      const nn = Int32Array.from({ length: grown }, (_, p) => p + 1);
      const np = Int32Array.from({ length: grown }, (_, p) => p - 1);
      // Relink the old free positions, then the new stretch after them.
      let last = -1;
      for (let p = firstFree; p < size; p = nextFree[p]) {
        if (last >= 0) nn[last] = p;
        np[p] = last;
        last = p;
      }
      if (last >= 0) nn[last] = size;
      else firstFree = size;
      np[size] = last;
      base = nb;
      check = nc;
      nextFree = nn;
      prevFree = np;
      size = grown;
    };
    const occupy = (p: number): void => {
      const before = prevFree[p];
      const after = nextFree[p];
      if (before >= 0) nextFree[before] = after;
      else firstFree = after;
      if (after < size) prevFree[after] = before;
    };
    const queue = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const from = positionOf[state];
      const kids = [...trie[state]].sort((a, b) => a[0] - b[0]);
      if (kids.length === 0) continue;
      const lowest = kids[0][0];
      const highest = kids[kids.length - 1][0];
      let b = -1;
      for (let p = firstFree; b < 0; p = nextFree[p]) {
        if (p >= size) grow(p + highest);
        const candidate = p - lowest;
        if (candidate < 1) continue;
        if (candidate + highest >= size) grow(candidate + highest);
        if (kids.every(([cls]) => check[candidate + cls] === -1)) b = candidate;
      }
      base[from] = b;
      for (const [cls, next] of kids) {
        check[b + cls] = from;
        occupy(b + cls);
        positionOf[next] = b + cls;
        queue.push(next);
      }
    }
    let length = size;
    while (length > 1 && check[length - 1] === -1) length--;
    // Room for a lookup of any class from any placed state, so the scan needs no bounds test.
    let maxBase = 0;
    for (let p = 0; p < length; p++) if (check[p] !== -1) maxBase = Math.max(maxBase, base[p]);
    const span = Math.max(length, maxBase + classes);
    this.out = new Int32Array(2 * span);
    const needRight = (t: CompiledTerm): number => (!t.prefix && isWordUnit(t.text.charCodeAt(t.text.length - 1)) ? 1 : 0);
    const flat: number[] = [];
    for (let state = 0; state < trie.length; state++) {
      if (ending[state].length === 0) continue;
      // Ascending term index: the order an Aho–Corasick scan reports terms that end together.
      const here = ending[state].slice().sort((a, b) => a - b);
      this.out[2 * positionOf[state]] = flat.length;
      this.out[2 * positionOf[state] + 1] = here.length;
      flat.push(...here.map((term) => 2 * term + needRight(terms[term])));
    }
    // Two bytes a number while positions fit in 15 bits (the check holds a position and a flag):
    // half the table, and half the cache misses of the walks.
    this.cell = span < 0x7fff ? new Uint16Array(span * 2) : new Uint32Array(span * 2);
    const free = this.cell instanceof Uint16Array ? 0xffff : 0xffffffff;
    for (let p = 0; p < span; p++) {
      this.cell[2 * p] = p < length && check[p] !== -1 ? base[p] : 0;
      this.cell[2 * p + 1] = p < length && check[p] !== -1 ? (check[p] << 1) | (this.out[2 * p + 1] > 0 ? 1 : 0) : free;
    }
    this.outTerm = Int32Array.from(flat);

    // Chains: from a state with one child and no term ending at it, the walk can only go on along
    // one path until the next state that branches or ends a term ("international narcotics…").
    // Such a state's base holds chainFlag + its chain number instead, and the walk compares the
    // article's units with the path's in one loop: sequential reads instead of a table step (a
    // dependent cache read) per unit. Half the steps of a walk over our articles are on chains.
    this.chainFlag = this.cell instanceof Uint16Array ? 0x8000 : 0x80000000;
    const unitOf = new Uint16Array(classes);
    for (let c = 0; c < 0x10000; c++) if (this.classOf[c] !== 0) unitOf[this.classOf[c]] = c;
    const onlyChild = (state: number): [number, number] | null => {
      if (trie[state].size !== 1 || ending[state].length > 0) return null;
      const [[cls, child]] = [...trie[state]];
      return [cls, child];
    };
    const chainUnits: number[] = [];
    const chains: number[] = []; // per chain: first unit in chainUnits, number of units, target position
    const inChain = new Uint8Array(trie.length);
    for (let state = 0; state < trie.length; state++) {
      if (onlyChild(state) === null || inChain[state] === 1) continue;
      // A chain head (its parent, if any, branches or ends a term; parents come first in state
      // order). A walk only enters a chain at its head, so the states along it need no entry.
      let length = 0;
      let at = state;
      for (let step = onlyChild(at); step !== null; at = step[1], step = onlyChild(at)) {
        inChain[at] = 1;
        chainUnits.push(unitOf[step[0]]);
        length++;
      }
      this.cell[2 * positionOf[state]] = this.chainFlag + chains.length / 3;
      chains.push(chainUnits.length - length, length, positionOf[at]);
    }
    this.chainUnits = Uint16Array.from(chainUnits);
    this.chains = Int32Array.from(chains);
  }

  /** Bytes held by the trie (for the bench report). */
  get tableBytes(): number {
    return this.cell.byteLength + this.chains.byteLength + this.chainUnits.byteLength;
  }

  /**
   * Appends to `hits` every term that starts at `start` and ends at a word boundary (or anywhere,
   * for a prefix term), shortest first, terms that end together in ascending index.
   */
  walk(units: Uint16Array, length: number, start: number, hits: TermHits): void {
    const classOf = this.classOf;
    const cell = this.cell;
    const chainFlag = this.chainFlag;
    let s = 0;
    let p = start;
    while (p < length) {
      const base = cell[2 * s];
      if (base >= chainFlag) {
        const chain = 3 * (base - chainFlag);
        const from = this.chains[chain];
        const to = from + this.chains[chain + 1];
        if (p + (to - from) > length) return;
        const chainUnits = this.chainUnits;
        for (let k = from; k < to; k++, p++) if (units[p] !== chainUnits[k]) return;
        s = this.chains[chain + 2];
        if ((cell[2 * s + 1] & 1) === 0) continue;
      } else {
        const cls = classOf[units[p]];
        if (cls === 0) return;
        const next = base + cls;
        const check = cell[2 * next + 1];
        if (check >>> 1 !== s) return;
        s = next;
        p++;
        if ((check & 1) === 0) continue;
      }
      // Terms end here, at p.
      const rightIsWord = p < length && isWordUnit(units[p]);
      const from = this.out[2 * s];
      const to = from + this.out[2 * s + 1];
      for (let k = from; k < to; k++) {
        const entry = this.outTerm[k];
        if (rightIsWord && (entry & 1) === 1) continue;
        pushHit(hits, entry >>> 1, start, p);
      }
    }
  }
}
