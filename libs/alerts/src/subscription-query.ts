import { ValidationError } from '@monitor/contracts';
import { newStemmer, Stemmer } from 'snowball-stemmers';

/**
 * The "simple query string" of a subscription, evaluated in process on the articles that the
 * topic index already let through. Syntax (after Elasticsearch's simple_query_string):
 *   words            all must occur (implicit AND); `word*` is a prefix
 *   "quoted phrase"  consecutive words
 *   -term            must not occur (also -"a phrase", -(a OR b))
 *   a OR b, a | b    either; binds looser than AND
 *   ( ... )          grouping
 * Words match their inflected forms (Snowball stems: Russian for Cyrillic words, the article's
 * language or English for Latin ones); Chinese and Japanese, written without spaces, match as
 * substrings. Hand-written because no maintained CJS package evaluates such a query against one
 * document in memory (Elasticsearch's percolator does it in the stack).
 */
export interface CompiledQuery {
  readonly source: string;
  matches(doc: AnalysedText): boolean;
  /**
   * Keys of which every matching document has at least one among its `documentKeys` (a necessary
   * condition, never a sufficient one), or null when the query has none (it can match a text that
   * shares no word with it, e.g. `-heroin`). The matcher files the query under these keys.
   */
  readonly indexKeys: readonly string[] | null;
}

export interface AnalysedText {
  /** Normalised text, words separated by single spaces (for CJK substring search). */
  readonly flat: string;
  readonly tokens: readonly string[];
  readonly stems: readonly string[];
  readonly tokenSet: ReadonlySet<string>;
  readonly stemSet: ReadonlySet<string>;
  /** Stemmer used for Latin-script words in this text. */
  readonly latinStemmer: Stemmer & { readonly algorithm: string };
}

type Node =
  | { kind: 'term'; token: string; stem: (doc: AnalysedText) => string; prefix: boolean; cyrillicStem: string | null }
  | { kind: 'cjk'; text: string }
  | { kind: 'phrase'; tokens: string[] }
  | { kind: 'not'; child: Node }
  | { kind: 'and'; children: Node[] }
  | { kind: 'or'; children: Node[] };

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const WORD_SPLIT = /[^\p{L}\p{N}]+/u;

const LATIN_STEMMERS: Record<string, string> = {
  en: 'english', fr: 'french', es: 'spanish', de: 'german', it: 'italian', pt: 'portuguese', nl: 'dutch',
  sv: 'swedish', da: 'danish', no: 'norwegian', nb: 'norwegian', fi: 'finnish', hu: 'hungarian',
  ro: 'romanian', tr: 'turkish', cs: 'czech', ga: 'irish', ca: 'catalan', eu: 'basque', sl: 'slovene',
};
const stemmers = new Map<string, Stemmer & { algorithm: string }>();
// Snowball costs microseconds per word and news vocabulary repeats, so each stemmer remembers its
// answers (bounded, so a stream of unique tokens cannot grow memory without limit).
const MEMO_LIMIT = 200_000;
function stemmerFor(algorithm: string): Stemmer & { algorithm: string } {
  let stemmer = stemmers.get(algorithm);
  if (!stemmer) {
    const inner = newStemmer(algorithm);
    const memo = new Map<string, string>();
    stemmer = {
      algorithm,
      stem(word: string): string {
        let stem = memo.get(word);
        if (stem === undefined) {
          if (memo.size >= MEMO_LIMIT) memo.clear();
          stem = inner.stem(word);
          memo.set(word, stem);
        }
        return stem;
      },
    };
    stemmers.set(algorithm, stemmer);
  }
  return stemmer;
}
const russian = () => stemmerFor('russian');

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е');
}

function stemToken(token: string, latin: Stemmer): string {
  if (CJK.test(token)) return token;
  return CYRILLIC.test(token) ? russian().stem(token) : latin.stem(token);
}

/** Tokenises and stems a text once, so that any number of queries can be evaluated on it. */
export function analyseText(text: string, language?: string): AnalysedText {
  const latinStemmer = stemmerFor(LATIN_STEMMERS[(language ?? '').toLowerCase().slice(0, 2)] ?? 'english');
  const tokens = normalise(text).split(WORD_SPLIT).filter(Boolean);
  const stems = tokens.map((t) => stemToken(t, latinStemmer));
  return { flat: tokens.join(' '), tokens, stems, tokenSet: new Set(tokens), stemSet: new Set(stems), latinStemmer };
}

type Tok = { t: 'word' | 'phrase'; v: string; neg: boolean } | { t: '(' | ')' | 'or'; neg: boolean };

function lex(source: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) { i++; continue; }
    let neg = false;
    if (c === '-' && i + 1 < source.length && !/\s/.test(source[i + 1])) { neg = true; i++; }
    const d = source[i];
    if (d === '"') {
      const end = source.indexOf('"', i + 1);
      if (end < 0) throw new ValidationError('query: unclosed quote', 'query');
      toks.push({ t: 'phrase', v: source.slice(i + 1, end), neg });
      i = end + 1;
    } else if (d === '(' || d === ')') {
      toks.push({ t: d, neg });
      i++;
    } else if (d === '|' && !neg) {
      toks.push({ t: 'or', neg: false });
      i++;
    } else {
      let j = i;
      while (j < source.length && !/[\s"()|]/.test(source[j])) j++;
      const word = source.slice(i, j);
      i = j;
      if (!neg && word === 'OR') toks.push({ t: 'or', neg: false });
      else if (!neg && (word === 'AND' || word === '+')) continue;
      else toks.push({ t: 'word', v: word.replace(/^\+/, ''), neg });
    }
  }
  return toks;
}

function termNodes(raw: string): Node[] {
  const prefix = raw.endsWith('*');
  const text = normalise(prefix ? raw.slice(0, -1) : raw);
  if (CJK.test(text)) return [{ kind: 'cjk', text: text.split(WORD_SPLIT).filter(Boolean).join(' ') }];
  const parts = text.split(WORD_SPLIT).filter(Boolean);
  // "drug-control" is two words in the text too, so it becomes the phrase "drug control".
  if (parts.length > 1) return [{ kind: 'phrase', tokens: parts }];
  if (parts.length === 0) return [];
  const token = parts[0];
  const russianStem = CYRILLIC.test(token) ? russian().stem(token) : null;
  return [{ kind: 'term', token, prefix, cyrillicStem: russianStem, stem: (doc) => russianStem ?? doc.latinStemmer.stem(token) }];
}

function phraseNode(raw: string): Node | null {
  const text = normalise(raw);
  if (CJK.test(text)) return { kind: 'cjk', text: text.split(WORD_SPLIT).filter(Boolean).join(' ') };
  const tokens = text.split(WORD_SPLIT).filter(Boolean);
  if (tokens.length === 0) return null;
  return { kind: 'phrase', tokens };
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Node {
    const node = this.or();
    if (this.pos < this.toks.length) throw new ValidationError('query: unbalanced ")"', 'query');
    return node;
  }

  private or(): Node {
    const children = [this.and()];
    while (this.toks[this.pos]?.t === 'or') {
      this.pos++;
      children.push(this.and());
    }
    const real = children.filter((c) => !(c.kind === 'and' && c.children.length === 0));
    if (real.length === 0) return { kind: 'and', children: [] };
    return real.length === 1 ? real[0] : { kind: 'or', children: real };
  }

  private and(): Node {
    const children: Node[] = [];
    for (;;) {
      const tok = this.toks[this.pos];
      if (!tok || tok.t === 'or' || tok.t === ')') break;
      this.pos++;
      let node: Node | null;
      if (tok.t === '(') {
        node = this.or();
        if (this.toks[this.pos]?.t !== ')') throw new ValidationError('query: unclosed "("', 'query');
        this.pos++;
      } else if (tok.t === 'phrase') {
        node = phraseNode(tok.v);
      } else {
        const nodes = termNodes((tok as { v: string }).v);
        node = nodes[0] ?? null;
      }
      if (!node) continue;
      children.push(tok.neg ? { kind: 'not', child: node } : node);
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }
}

// Snowball stems some Russian forms apart (Афганистан -> "афганиста", Афганистаном -> "афганистан"),
// so a query word also matches a word that is its stem plus a short case ending.
function hasRussianFormOf(stem: string, doc: AnalysedText): boolean {
  if (stem.length < 4) return false;
  for (const token of doc.tokenSet) {
    if (token.length > stem.length && token.length - stem.length <= 3 && token.startsWith(stem) && CYRILLIC.test(token)) return true;
  }
  return false;
}

function containsSequence(hay: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function evaluate(node: Node, doc: AnalysedText): boolean {
  switch (node.kind) {
    case 'term':
      if (node.prefix) {
        for (const t of doc.tokenSet) if (t.startsWith(node.token)) return true;
        return false;
      }
      if (doc.tokenSet.has(node.token) || doc.stemSet.has(node.stem(doc))) return true;
      return node.cyrillicStem !== null && hasRussianFormOf(node.cyrillicStem, doc);
    case 'cjk':
      return doc.flat.includes(node.text);
    case 'phrase': {
      // Scanning is the costly part; a phrase whose words are not all there needs none.
      if (node.tokens.every((t) => doc.tokenSet.has(t)) && containsSequence(doc.tokens, node.tokens)) return true;
      const stems = node.tokens.map((t) => stemToken(t, doc.latinStemmer));
      return stems.every((t) => doc.stemSet.has(t)) && containsSequence(doc.stems, stems);
    }
    case 'not':
      return !evaluate(node.child, doc);
    case 'and':
      return node.children.every((c) => evaluate(c, doc));
    case 'or':
      return node.children.some((c) => evaluate(c, doc));
  }
}

/** Parses a subscription query; throws ValidationError (field "query") when it cannot be read. */
export function compileQuery(source: string): CompiledQuery {
  if (source.length > 1000) throw new ValidationError('query: at most 1000 characters', 'query');
  const root = new Parser(lex(source)).parse();
  if (root.kind === 'and' && root.children.length === 0) throw new ValidationError('query: no words to match', 'query');
  let keys: readonly string[] | null | undefined;
  return {
    source,
    matches: (doc) => evaluate(root, doc),
    // Worked out on first use: validating a subscription compiles its query but never files it.
    get indexKeys() {
      if (keys === undefined) {
        const found = requiredKeys(root);
        keys = found ? [...found] : null;
      }
      return keys;
    },
  };
}

// The index keys must follow `evaluate` exactly, or the matcher would miss alerts. A document's
// stems come from its own tokens with the same stemmers a query word uses (stemToken), so a word
// present as a token is present as a stem too: the stem alone is the word's key. A stem with
// Cyrillic in it is keyed "russian:<stem>"; any other is keyed "<stemmer>:<stem>" with the Latin
// stemmer of the article's language (the document side) or of every language (the query side).
//   term     its stem's key (Cyrillic words: their shortened forms reach it, see hasRussianFormOf)
//   prefix   "p:" and its first three letters, which every token it matches starts with (a prefix
//            of one or two letters has no key: too common to narrow anything)
//   phrase   each of its words must occur, so its longest word stands for it, as a term
//   cjk      a substring must contain its first CJK character: "c:" and that character
//   and      every child must hold: the child with the fewest keys (longest words break ties)
//   or       any child may hold: the union, and none when some child has none
//   not      no necessary word at all
const PREFIX_KEY_LENGTH = 3;
const ALL_LATIN_STEMMERS = [...new Set(Object.values(LATIN_STEMMERS)), 'english'];

function stemKeys(stem: string): string[] {
  return CYRILLIC.test(stem) ? ['russian:' + stem] : ALL_LATIN_STEMMERS.map((algorithm) => `${algorithm}:${stem}`);
}

function wordKeys(token: string): Set<string> {
  if (CYRILLIC.test(token)) return new Set(stemKeys(russian().stem(token)));
  // A Latin stemmer leaves no Cyrillic in a word that had none.
  return new Set(ALL_LATIN_STEMMERS.map((algorithm) => `${algorithm}:${stemmerFor(algorithm).stem(token)}`));
}

function requiredKeys(node: Node): Set<string> | null {
  switch (node.kind) {
    case 'term':
      if (!node.prefix) return wordKeys(node.token);
      return node.token.length >= PREFIX_KEY_LENGTH ? new Set(['p:' + node.token.slice(0, PREFIX_KEY_LENGTH)]) : null;
    case 'phrase':
      return wordKeys(node.tokens.reduce((a, b) => (b.length > a.length ? b : a)));
    case 'cjk': {
      const char = [...node.text].find((c) => CJK.test(c));
      return char ? new Set(['c:' + char]) : null;
    }
    case 'not':
      return null;
    case 'and': {
      let best: Set<string> | null = null;
      let bestWeight = 0;
      for (const child of node.children) {
        const keys = requiredKeys(child);
        if (!keys) continue;
        // Fewer keys mean fewer lookups to reach it; a longer word is usually a rarer one.
        const weight = keys.size * 100 - Math.min(99, Math.max(...[...keys].map((k) => k.length)));
        if (!best || weight < bestWeight) [best, bestWeight] = [keys, weight];
      }
      return best;
    }
    case 'or': {
      const union = new Set<string>();
      for (const child of node.children) {
        const keys = requiredKeys(child);
        if (!keys) return null;
        for (const k of keys) union.add(k);
      }
      return union;
    }
  }
}

const documentKeyCache = new WeakMap<AnalysedText, ReadonlySet<string>>();

/** Every key under which a query that may match this document can be filed (see CompiledQuery.indexKeys). */
export function documentKeys(doc: AnalysedText): ReadonlySet<string> {
  let keys = documentKeyCache.get(doc);
  if (keys) return keys;
  const out = new Set<string>();
  const latin = doc.latinStemmer.algorithm + ':';
  const keyOf = (stem: string) => (CYRILLIC.test(stem) ? 'russian:' + stem : latin + stem);
  const seen = new Set<string>();
  doc.tokens.forEach((token, i) => {
    if (seen.has(token)) return;
    seen.add(token);
    if (token.length >= PREFIX_KEY_LENGTH) out.add('p:' + token.slice(0, PREFIX_KEY_LENGTH));
    if (CJK.test(token)) {
      // Its "stem" is the token itself, which no query word (CJK goes to substring search) can equal.
      for (const char of token) if (CJK.test(char)) out.add('c:' + char);
    } else {
      out.add(keyOf(doc.stems[i]));
    }
    if (CYRILLIC.test(token)) {
      // hasRussianFormOf: the query's stem may be this token less a case ending of up to 3 letters.
      for (let cut = 1; cut <= 3 && token.length - cut >= 4; cut++) out.add(keyOf(token.slice(0, token.length - cut)));
    }
  });
  keys = out;
  documentKeyCache.set(doc, keys);
  return keys;
}
