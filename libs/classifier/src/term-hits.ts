/**
 * The term occurrences found in one field, as parallel typed arrays (reused from article to
 * article, so a field allocates nothing), and the one order the classifier reads them in.
 */
export interface TermHits {
  /** Number of hits found. */
  count: number;
  /** Per hit: term index, normalised start, normalised end (exclusive). */
  term: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

export function createHits(capacity = 256): TermHits {
  return { count: 0, term: new Int32Array(capacity), start: new Int32Array(capacity), end: new Int32Array(capacity) };
}

/** Appends one hit, growing the arrays when full. */
export function pushHit(hits: TermHits, term: number, start: number, end: number): void {
  if (hits.count === hits.term.length) growHits(hits, hits.count * 2);
  const k = hits.count++;
  hits.term[k] = term;
  hits.start[k] = start;
  hits.end[k] = end;
}

function growHits(hits: TermHits, size: number): void {
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

/**
 * -1, 0 or 1 as hit i of `a` comes before, with or after hit j of `b` in reading order: by end,
 * then the longer one (earlier start) first, then by term index. This is the order in which an
 * Aho–Corasick scan reports hits, which the classifier's tie-breaks were written against.
 */
function compare(a: TermHits, i: number, b: TermHits, j: number): number {
  return a.end[i] - b.end[j] || a.start[i] - b.start[j] || a.term[i] - b.term[j];
}

/**
 * Sorts hits into reading order. An insertion sort, because hits arrive almost in order (a phrase
 * that started at an earlier word is the only thing that ends after a later word's hits).
 */
export function sortHits(hits: TermHits): void {
  const { term, start, end } = hits;
  for (let i = 1; i < hits.count; i++) {
    if (compare(hits, i - 1, hits, i) <= 0) continue;
    const t = term[i];
    const s = start[i];
    const e = end[i];
    let j = i - 1;
    while (j >= 0 && (end[j] - e || start[j] - s || term[j] - t) > 0) {
      term[j + 1] = term[j];
      start[j + 1] = start[j];
      end[j + 1] = end[j];
      j--;
    }
    term[j + 1] = t;
    start[j + 1] = s;
    end[j + 1] = e;
  }
}
