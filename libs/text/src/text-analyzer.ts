import { CJK_CLASS, cjkIndexTerms, cjkTerms } from './cjk-bigrams';
import { foldText } from './text-normalizer';
import { stemWord } from './word-stemmer';

/**
 * The one analysis of the monitor's texts, done in the application: the Elasticsearch we run has no
 * language analysers, so we stem and split here and both search stores index the resulting terms
 * as they are (Elasticsearch with its `whitespace` analyser, SQLite with FTS5's unicode61), and the
 * subscription matcher evaluates queries on the very same terms. One analysis everywhere is what
 * makes a search `q` and a subscription `query` find the same articles.
 *
 * - A word (letters, digits, marks, with inner apostrophes) is folded (foldText), stemmed by its
 *   script (stemWord) and stripped of anything the index tokenisers would split on.
 * - A run of CJK characters becomes bigrams, and its single characters after the main stream
 *   (cjk-bigrams.ts).
 */
export interface AnalyzedToken {
  /** The indexed term. */
  term: string;
  /** Offsets of the token in the original string (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  /** Position in the indexed term stream (phrases need consecutive positions). */
  position: number;
  /** 'chars' for the single CJK characters indexed after the main stream. */
  stream: 'main' | 'chars';
}

const WORD = `[[\\p{L}\\p{N}\\p{M}\\p{Pc}]--[${CJK_CLASS}]]+`;
/** A run of CJK characters, or a word of other letters and digits with inner apostrophes. */
const TOKEN_PATTERN = new RegExp(`([${CJK_CLASS}]+)|(${WORD}(?:['’]${WORD})*)`, 'gv');
const NON_TERM_CHARS = /[^\p{L}\p{N}\p{M}]/gu;

// Articles repeat the same words; a bounded memo keeps folding and stemming off the hot path.
const TERM_CACHE_LIMIT = 200_000;
const termCache = new Map<string, string>();

/** The indexed term of one word (no CJK); '' when nothing indexable is left. */
export function normalizeWord(word: string): string {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  // The index tokenisers split on anything that is not a letter, digit or mark, so no term may
  // keep an apostrophe or the query and the index would disagree on positions.
  const term = stemWord(foldText(word)).replace(NON_TERM_CHARS, '');
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term);
  return term;
}

/** The folded form of a word without stemming, as a prefix query compares it with terms. */
export function foldWord(word: string): string {
  return foldText(word).replace(NON_TERM_CHARS, '');
}

type Emit = (term: string, start: number, end: number) => void;

/** Walks the words and CJK runs of a text in order, the main stream to `main`, CJK singles to `chars`. */
function walk(text: string, main: Emit, chars?: Emit): void {
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index ?? 0;
    const run = match[1];
    if (run === undefined) {
      const term = normalizeWord(match[2]);
      if (term) main(term, start, start + match[2].length);
      continue;
    }
    const { bigrams, singles } = cjkTerms(run);
    for (const t of bigrams) main(t.term, start + t.start, start + t.end);
    if (chars) for (const t of singles) chars(t.term, start + t.start, start + t.end);
  }
}

/**
 * Analyses a text into its indexed tokens with their offsets in the original string: the main
 * stream first (positions 0..n-1), then the single characters of CJK runs.
 */
export function analyzeText(text: string): AnalyzedToken[] {
  const tokens: AnalyzedToken[] = [];
  const singles: AnalyzedToken[] = [];
  walk(
    text,
    (term, start, end) => void tokens.push({ term, start, end, position: tokens.length, stream: 'main' }),
    (term, start, end) => void singles.push({ term, start, end, position: 0, stream: 'chars' }),
  );
  for (const token of singles) {
    token.position = tokens.length;
    tokens.push(token);
  }
  return tokens;
}

/** The term stream an index holds for a text, in position order (main stream, then CJK singles). */
export function indexTerms(text: string): string[] {
  const main: string[] = [];
  const singles: string[] = [];
  walk(
    text,
    (term) => void main.push(term),
    (term) => void singles.push(term),
  );
  return singles.length > 0 ? main.concat(singles) : main;
}

const INDEX_TOKEN_PATTERN = new RegExp(TOKEN_PATTERN.source, TOKEN_PATTERN.flags);
const join = (a: string, b: string) => (a && b ? `${a} ${b}` : a || b);

/**
 * indexTerms space-separated, as both stores index a field: the indexer's path, which builds the
 * string as it goes instead of a token or array per term (analysis was most of the indexer's CPU).
 */
export function indexText(text: string): string {
  let main = '';
  let singles = '';
  INDEX_TOKEN_PATTERN.lastIndex = 0;
  for (let match = INDEX_TOKEN_PATTERN.exec(text); match !== null; match = INDEX_TOKEN_PATTERN.exec(text)) {
    if (match[1] === undefined) {
      main = join(main, normalizeWord(match[2]));
      continue;
    }
    const run = cjkIndexTerms(match[1]);
    main = join(main, run.bigrams);
    singles = join(singles, run.singles);
  }
  return join(main, singles);
}

/**
 * The terms a piece of a query stands for, which must occur at consecutive positions: the main
 * stream only (a CJK word is the phrase of its bigrams, so it is found inside unspaced text).
 */
export function phraseTerms(text: string): string[] {
  const terms: string[] = [];
  walk(text, (term) => void terms.push(term));
  return terms;
}
