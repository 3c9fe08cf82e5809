import { newStemmer } from 'snowball-stemmers';

/**
 * Text analysis done in the application, shared by both store adapters. The Elasticsearch we can
 * run has no language analysers (no `analysis-common`, no ICU), so we stem and split here and index
 * the resulting terms with a whitespace analyser (Elasticsearch) or FTS5's unicode61 (SQLite). One
 * analysis for both means the embedded mode finds exactly what the production stack finds.
 *
 * - Words are lower-cased, NFKC-normalised, ё folded to е, and stemmed by the script of the word:
 *   Cyrillic with the Russian Snowball stemmer, Latin with the English one (a feed's declared
 *   language is too often wrong, and one text mixes scripts: an SCO release in Russian names
 *   "UNODC"), so "наркотикам" and "наркотиков" meet on "наркотик".
 * - Han, kana and Hangul runs have no spaces between words, so they become overlapping character
 *   bigrams (禁毒合作 -> 禁毒 毒合 合作): a two-character word is found inside a sentence, a longer
 *   one as a phrase of its bigrams. Each character of a longer run is also indexed after the main
 *   stream, so a one-character query still finds it without breaking bigram phrase adjacency.
 */

export interface AnalyzedToken {
  /** The indexed term. */
  term: string;
  /** Offsets of the token in the original string (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  /** Position in the indexed term stream (phrases need consecutive positions). */
  position: number;
  /** 'chars' for the single CJK characters indexed after the main stream (never in a phrase). */
  stream: 'main' | 'chars';
}

/** A sequence of terms that must occur at consecutive positions; one term is a plain term. */
export interface QueryPhrase {
  terms: string[];
}

/** Matches when any of its phrases matches (the user's `a OR b`). */
export interface QueryClause {
  anyOf: QueryPhrase[];
}

/**
 * A parsed, analysed free-text query: every `must` clause has to match (AND is the default, so
 * "heroin Afghanistan" needs both words) and no `mustNot` phrase may match (`-word`, `-"a phrase"`).
 */
export interface AnalyzedQuery {
  must: QueryClause[];
  mustNot: QueryPhrase[];
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const WORD = `[[\\p{L}\\p{N}\\p{M}\\p{Pc}]--[${CJK}]]+`;
/** A run of CJK characters, or a word of other letters and digits with inner apostrophes. */
const TOKEN_PATTERN = new RegExp(`([${CJK}]+)|(${WORD}(?:['’]${WORD})*)`, 'gv');
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const NON_TERM_CHARS = /[^\p{L}\p{N}\p{M}]/gu;

const russian = newStemmer('russian');
const english = newStemmer('english');

// Articles repeat the same words; a bounded memo keeps stemming off the hot path of bulk indexing.
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();

/** Normalises and stems one word (no CJK); returns '' when nothing indexable is left. */
export function normalizeWord(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const folded = word.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/’/g, "'");
  let term: string;
  if (CYRILLIC.test(folded)) term = russian.stem(folded);
  else if (LATIN.test(folded)) term = english.stem(folded);
  else term = folded;
  // The index tokenisers split on anything that is not a letter, digit or mark, so no term may
  // keep an apostrophe or the query and the index would disagree on positions.
  term = term.replace(NON_TERM_CHARS, '');
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, term);
  return term;
}

type Emit = (term: string, start: number, end: number) => void;

/**
 * Walks the words and CJK runs of a text in order: `main` gets the indexed stream (stems, bigrams,
 * the character of a one-character run), `chars` the single characters of longer CJK runs.
 */
function walk(text: string, main: Emit, chars?: Emit): void {
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const start = match.index ?? 0;
    const run = match[1];
    if (run === undefined) {
      const term = normalizeWord(match[2]);
      if (term) main(term, start, start + match[2].length);
      continue;
    }
    // Per character of the original (surrogate pairs count two code units); the term is its NFKC
    // form, so compatibility ideographs fold to the unified ones.
    const terms: string[] = [];
    const offsets: number[] = [];
    let at = start;
    for (const ch of run) {
      terms.push(ch.normalize('NFKC'));
      offsets.push(at);
      at += ch.length;
    }
    offsets.push(at);
    if (terms.length === 1) {
      main(terms[0], start, at);
      continue;
    }
    for (let i = 0; i + 1 < terms.length; i++) main(terms[i] + terms[i + 1], offsets[i], offsets[i + 2]);
    if (chars) for (let i = 0; i < terms.length; i++) chars(terms[i], offsets[i], offsets[i + 1]);
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

/** The string an index stores for a field: analysed terms separated by single spaces. */
export function indexedTerms(text: string): string {
  const main: string[] = [];
  const singles: string[] = [];
  walk(
    text,
    (term) => void main.push(term),
    (term) => void singles.push(term),
  );
  return singles.length > 0 ? `${main.join(' ')} ${singles.join(' ')}` : main.join(' ');
}

// Only dropped from a query, and only when other words remain: with AND semantics, "heroin in
// Afghanistan" must not need "in". Hand-written because the few words that matter here are fewer
// than a dependency's worth; the index keeps them, so quoted phrases still match exactly.
const QUERY_STOPWORDS = new Set(
  [
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it', 'of', 'on',
    'or', 'the', 'to', 'with', 'и', 'в', 'во', 'на', 'с', 'со', 'по', 'о', 'об', 'к', 'ко', 'из', 'у', 'за',
    'от', 'до', 'для', 'а', 'но', 'же', 'не',
  ].map((word) => normalizeWord(word)),
);

function phraseOf(text: string): QueryPhrase | null {
  const terms: string[] = [];
  walk(text, (term) => void terms.push(term));
  return terms.length > 0 ? { terms } : null;
}

interface ParsedClause extends QueryClause {
  quoted: boolean;
}

interface RawItem {
  text: string;
  quoted: boolean;
  negated: boolean;
}

/** Splits a query into quoted phrases, words, `-` negations and `OR` operators. */
function lex(query: string): (RawItem | 'OR')[] {
  const items: (RawItem | 'OR')[] = [];
  const pattern = /(-?)"([^"]*)"?|(\S+)/gu;
  for (const match of query.normalize('NFKC').matchAll(pattern)) {
    if (match[3] !== undefined) {
      const word = match[3];
      if (word === 'OR' || word === '|' || word === '||') items.push('OR');
      else if (word.startsWith('-') && word.length > 1) items.push({ text: word.slice(1), quoted: false, negated: true });
      else items.push({ text: word, quoted: false, negated: false });
    } else {
      items.push({ text: match[2], quoted: true, negated: match[1] === '-' });
    }
  }
  return items;
}

/**
 * Parses and analyses a user's query the way `analyzeText` analyses documents. Words are ANDed;
 * `"quoted words"` must be adjacent; `a OR b` matches either; `-word` excludes. A word that splits
 * into several terms (a hyphenated word, a CJK run) must match as a phrase.
 */
export function analyzeQuery(query: string): AnalyzedQuery {
  const must: ParsedClause[] = [];
  const mustNot: QueryPhrase[] = [];
  let joinNext = false;
  for (const item of lex(query)) {
    if (item === 'OR') {
      joinNext = must.length > 0;
      continue;
    }
    const phrase = phraseOf(item.text);
    if (!phrase) continue;
    if (item.negated) {
      mustNot.push(phrase);
      joinNext = false;
    } else if (joinNext) {
      must[must.length - 1].anyOf.push(phrase);
      joinNext = false;
    } else {
      must.push({ anyOf: [phrase], quoted: item.quoted });
    }
  }
  const isStopword = (clause: ParsedClause) =>
    !clause.quoted &&
    clause.anyOf.length === 1 &&
    clause.anyOf[0].terms.length === 1 &&
    QUERY_STOPWORDS.has(clause.anyOf[0].terms[0]);
  const meaningful = must.filter((clause) => !isStopword(clause));
  const kept = meaningful.length > 0 ? meaningful : must;
  return { must: kept.map((clause) => ({ anyOf: clause.anyOf })), mustNot };
}

/** True when a query has nothing to match on (empty, only punctuation, or only exclusions). */
export function hasPositiveTerms(query: AnalyzedQuery): boolean {
  return query.must.length > 0;
}

/** Every term a positive clause names, for highlighting. */
export function positivePhrases(query: AnalyzedQuery): QueryPhrase[] {
  return query.must.flatMap((clause) => clause.anyOf);
}
