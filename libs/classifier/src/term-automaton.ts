/**
 * Aho–Corasick automaton over UTF-16 code units, compiled to a dense transition table, so that
 * one pass over an article finds every term of every topic at once (one table read per code unit).
 *
 * Hand-written because the packaged matcher we tried first (`modern-ahocorasick` 3.3) segments
 * its input into grapheme clusters with Intl.Segmenter on every call: ~800 articles/s on
 * 2,000-character articles with 1,500 terms, 25× below the target. Our input is already
 * normalised (match-text.ts), so matching code units is exact and grapheme segmentation is not
 * needed. The alphabet is only the code units that occur in terms; any other unit sends the
 * automaton back to its root, which is what keeps the dense table small.
 */
import { isWordUnit } from './match-text';

export interface CompiledTerm {
  /** Normalised text of the term. */
  text: string;
  /** A trailing "*" in the taxonomy: the last word may continue (prefix of a word). */
  prefix: boolean;
}

export interface TermHits {
  /** Number of hits found. */
  count: number;
  /** Per hit: term index, normalised start, normalised end (exclusive). */
  term: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

export class TermAutomaton {
  private readonly classOf = new Uint16Array(0x10000);
  private readonly alphabetSize: number;
  private readonly delta: Uint16Array | Int32Array;
  private readonly outStart: Int32Array;
  private readonly outCount: Int32Array;
  private readonly outTerm: Int32Array;
  private readonly termLength: Int32Array;
  private readonly needLeft: Uint8Array;
  private readonly needRight: Uint8Array;
  readonly stateCount: number;

  constructor(readonly terms: readonly CompiledTerm[]) {
    // Alphabet: class 0 is "not in any term".
    // Classes in code-unit order, so the letters of one script sit side by side in a table row:
    // a scan of English or Russian text touches one or two cache lines per state, not ten.
    const used = new Uint8Array(0x10000);
    for (const t of terms) for (let i = 0; i < t.text.length; i++) used[t.text.charCodeAt(i)] = 1;
    let classes = 1;
    for (let c = 0; c < 0x10000; c++) if (used[c] === 1) this.classOf[c] = classes++;
    this.alphabetSize = classes;

    // Trie with sparse children during construction.
    const trie: Map<number, number>[] = [new Map()];
    const trieTerms: number[][] = [[]];
    terms.forEach((t, index) => {
      let s = 0;
      for (let i = 0; i < t.text.length; i++) {
        const cls = this.classOf[t.text.charCodeAt(i)];
        let next = trie[s].get(cls);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          trieTerms.push([]);
          trie[s].set(cls, next);
        }
        s = next;
      }
      trieTerms[s].push(index);
    });
    const states = trie.length;
    this.stateCount = states;
    // States numbered breadth-first: the shallow states that a scan visits most sit side by side
    // in the table, and every transition is a dependent memory read, so locality is speed.
    const order = [0];
    for (let head = 0; head < order.length; head++) {
      for (const [, next] of [...trie[order[head]]].sort((a, b) => a[0] - b[0])) order.push(next);
    }
    const renumbered = new Int32Array(states);
    order.forEach((old, i) => (renumbered[old] = i));
    const children = order.map((old) => new Map([...trie[old]].map(([cls, next]) => [cls, renumbered[next]])));
    const termsAt = order.map((old) => trieTerms[old]);

    // Breadth-first failure links, folded straight into a complete transition table (a DFA).
    const A = classes;
    const delta = states * A < 0x7fffffff && states < 0x10000 ? new Uint16Array(states * A) : new Int32Array(states * A);
    const fail = new Int32Array(states);
    const outputs: number[][] = termsAt.map((list) => list.slice());
    const queue: number[] = [];
    for (const [cls, next] of children[0]) {
      delta[cls] = next;
      queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head];
      const f = fail[s];
      for (const o of outputs[f]) outputs[s].push(o);
      const row = s * A;
      const failRow = f * A;
      for (let cls = 1; cls < A; cls++) delta[row + cls] = delta[failRow + cls];
      for (const [cls, next] of children[s]) {
        fail[next] = delta[failRow + cls];
        delta[row + cls] = next;
        queue.push(next);
      }
    }
    this.delta = delta;

    this.outStart = new Int32Array(states);
    this.outCount = new Int32Array(states);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      this.outStart[s] = flat.length;
      this.outCount[s] = outputs[s].length;
      for (const o of outputs[s]) flat.push(o);
    }
    this.outTerm = Int32Array.from(flat);
    this.termLength = Int32Array.from(terms, (t) => t.text.length);
    // Word boundaries apply only where the term begins or ends with a letter of a spaced script;
    // Chinese terms match anywhere, since Chinese has no spaces between words.
    this.needLeft = Uint8Array.from(terms, (t) => (isWordUnit(t.text.charCodeAt(0)) ? 1 : 0));
    this.needRight = Uint8Array.from(terms, (t) =>
      !t.prefix && isWordUnit(t.text.charCodeAt(t.text.length - 1)) ? 1 : 0,
    );
  }

  /** Bytes held by the transition table (for the bench report). */
  get tableBytes(): number {
    return this.delta.byteLength;
  }

  /** Finds every term occurrence in units[0, length) that respects word boundaries. */
  scan(units: Uint16Array, length: number, hits: TermHits): void {
    const classOf = this.classOf;
    const delta = this.delta;
    const A = this.alphabetSize;
    const outCount = this.outCount;
    let count = 0;
    let s = 0;
    for (let i = 0; i < length; i++) {
      const cls = classOf[units[i]];
      s = cls === 0 ? 0 : delta[s * A + cls];
      if (outCount[s] === 0) continue;
      const end = i + 1;
      const from = this.outStart[s];
      const to = from + outCount[s];
      for (let k = from; k < to; k++) {
        const term = this.outTerm[k];
        const start = end - this.termLength[term];
        if (this.needLeft[term] === 1 && start > 0 && isWordUnit(units[start - 1])) continue;
        if (this.needRight[term] === 1 && end < length && isWordUnit(units[end])) continue;
        if (count === hits.term.length) growHits(hits);
        hits.term[count] = term;
        hits.start[count] = start;
        hits.end[count] = end;
        count++;
      }
    }
    hits.count = count;
  }
}

export function createHits(capacity = 256): TermHits {
  return { count: 0, term: new Int32Array(capacity), start: new Int32Array(capacity), end: new Int32Array(capacity) };
}

function growHits(hits: TermHits): void {
  const size = hits.term.length * 2;
  const term = new Int32Array(size);
  term.set(hits.term);
  const start = new Int32Array(size);
  start.set(hits.start);
  const end = new Int32Array(size);
  end.set(hits.end);
  hits.term = term;
  hits.start = start;
  hits.end = end;
}
