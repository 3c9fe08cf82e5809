/**
 * Finds every compiled term in a normalised field, in reading order (term-hits.ts), by walking the
 * term trie from each position where a term can start (term-trie.ts): the starts the normaliser
 * recorded (word starts, and Chinese characters that begin a term), and, in a text that holds
 * letters of another unspaced script or when some term begins with punctuation, every unit that
 * is not inside a spaced-script word.
 */
import { isUnspacedLetter, isWordUnit, type MatchTextBuffer } from './match-text';
import { TermTrie, type CompiledTerm } from './term-trie';
import { createHits, sortHits, type TermHits } from './term-hits';
import { TermStartFilter } from './term-start-filter';
import { inBitset } from './bitset';

export class TermScanner {
  private readonly trie: TermTrie;
  private readonly startFilter: TermStartFilter;
  /** Whether a text without letters of unspaced scripts can still hold a term that starts outside a word. */
  private readonly scanEveryText: boolean;
  private readonly hits = createHits();

  constructor(readonly terms: readonly CompiledTerm[]) {
    this.trie = new TermTrie(terms);
    this.startFilter = new TermStartFilter(terms.map((t) => t.text));
    this.scanEveryText = terms.some((t) => {
      const first = t.text.charCodeAt(0);
      return !isWordUnit(first) && !isUnspacedLetter(first);
    });
  }

  /** Bitset of the units some term begins with, for the normaliser (MatchTextBuffer). */
  get termFirstUnits(): Int32Array {
    return this.startFilter.firstUnits;
  }

  /** Size of the compiled trie, for operators and the bench. */
  get stats(): { terms: number; states: number; tableBytes: number } {
    return { terms: this.terms.length, states: this.trie.stateCount, tableBytes: this.trie.tableBytes };
  }

  /** Hits of `text` in normalised offsets; the returned object is reused by the next call. */
  scan(text: MatchTextBuffer): TermHits {
    const hits = this.hits;
    hits.count = 0;
    const { units, length } = text;
    const trie = this.trie;
    const filter = this.startFilter;
    if (text.startsComplete && !this.scanEveryText) {
      const starts = text.starts;
      // The filter's first question asked here: most starts go no further, and a call each costs more than the test.
      const firstUnits = filter.firstUnits;
      for (let w = 0; w < text.startCount; w++) {
        const p = starts[w];
        if (inBitset(firstUnits, units[p]) && filter.beginsTerm(units, length, p)) trie.walk(units, length, p, hits);
      }
    } else {
      for (let p = 0; p < length; p++) {
        if (!filter.mayStart(units, length, p)) continue;
        const u = units[p];
        if (isWordUnit(u) && p > 0 && isWordUnit(units[p - 1])) continue;
        trie.walk(units, length, p, hits);
      }
    }
    // Walks report hits by start; the classifier reads them by end.
    sortHits(hits);
    return hits;
  }
}
