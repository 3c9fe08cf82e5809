import { ValidationError } from '@monitor/contracts';
import { foldWord, hasCjk, normalizeWord, phraseTerms } from '@monitor/text';
import { ParsedQuery, QueryNode } from './query-ast';

export interface ParseOptions {
  /** The request field the query came in, named by errors (`q` for search, `query` for subscriptions). */
  field?: string;
  maxLength?: number;
}

/** Bounds that keep one query from costing a store more than a page of ordinary ones. */
const MAX_LENGTH = 1000;
const MAX_LEAVES = 64;
const MAX_DEPTH = 16;
const MIN_PREFIX = 2;

// Only dropped from an AND group, and only when other words remain in it: "heroin in Afghanistan"
// must not need "in". Hand-written because the few words that matter here are fewer than a
// dependency's worth; the index keeps them, so a quoted phrase still matches them exactly.
const STOPWORDS = new Set(
  [
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it', 'of', 'on',
    'or', 'the', 'to', 'with', 'и', 'в', 'во', 'на', 'с', 'со', 'по', 'о', 'об', 'к', 'ко', 'из', 'у', 'за',
    'от', 'до', 'для', 'а', 'но', 'же', 'не',
  ].map(normalizeWord),
);

type Token =
  | { type: 'word'; text: string; at: number; negated: boolean }
  | { type: 'phrase'; text: string; at: number; negated: boolean }
  | { type: '(' | ')' | 'or'; at: number; negated: boolean };

/** An AND group's member before stopwords are dropped. */
interface Item {
  node: QueryNode;
  stopword: boolean;
}

/**
 * Parses and analyses a query into its AST, or throws a ValidationError naming the field and what
 * is wrong where (positions are 1-based characters). Hand-written: the grammar is a dozen lines,
 * and a generated parser would still need this file's analysis of each leaf and its error wording.
 */
export function parseQuery(source: string, options: ParseOptions = {}): ParsedQuery {
  const field = options.field ?? 'query';
  const fail = (what: string): never => {
    throw new ValidationError(`${field}: ${what}`, field);
  };
  const maxLength = options.maxLength ?? MAX_LENGTH;
  if (source.length > maxLength) fail(`at most ${maxLength} characters`);
  const tokens = lex(source, fail);
  let pos = 0;
  let leaves = 0;

  const orGroup = (depth: number): QueryNode | null => {
    if (depth > MAX_DEPTH) fail(`parentheses nested deeper than ${MAX_DEPTH}`);
    const alternatives: (QueryNode | null)[] = [andGroup(depth)];
    while (tokens[pos]?.type === 'or') {
      const or = tokens[pos++];
      const next = tokens[pos];
      if (alternatives.length === 1 && isEmptyAt(or.at)) fail(`"OR" at character ${or.at + 1} has nothing before it`);
      if (!next || next.type === 'or' || next.type === ')') fail(`"OR" at character ${or.at + 1} has nothing after it`);
      alternatives.push(andGroup(depth));
    }
    const real = alternatives.filter((node): node is QueryNode => node !== null);
    if (real.length === 0) return null;
    return real.length === 1 ? real[0] : { kind: 'or', children: real };
  };

  // True when the OR at `at` is the first thing of its group (nothing but "(" before it).
  const isEmptyAt = (at: number): boolean => {
    const index = tokens.findIndex((token) => token.at === at);
    return index === 0 || tokens[index - 1].type === '(' || tokens[index - 1].type === 'or';
  };

  const andGroup = (depth: number): QueryNode | null => {
    const items: Item[] = [];
    for (let token = tokens[pos]; token && token.type !== 'or' && token.type !== ')'; token = tokens[pos]) {
      pos++;
      let item: Item | null = null;
      if (token.type === '(') {
        const node = orGroup(depth + 1);
        if (tokens[pos]?.type !== ')') fail(`"(" at character ${token.at + 1} is never closed`);
        pos++;
        item = node && { node, stopword: false };
      } else {
        if (token.type === 'phrase') item = phrase(token.text);
        else if (token.type === 'word') item = word(token.text, token.at);
        else fail(`unreachable: ${token.type} in a group`);
        if (item && ++leaves > MAX_LEAVES) fail(`at most ${MAX_LEAVES} words`);
      }
      if (item) items.push(token.negated ? { node: { kind: 'not', child: item.node }, stopword: false } : item);
    }
    const positive = items.filter((item) => item.node.kind !== 'not');
    const kept = positive.some((item) => !item.stopword) ? items.filter((item) => !item.stopword) : items;
    if (kept.length === 0) return null;
    return kept.length === 1 ? kept[0].node : { kind: 'and', children: kept.map((item) => item.node) };
  };

  const phrase = (text: string): Item | null => {
    const terms = phraseTerms(text);
    return terms.length > 0 ? { node: { kind: 'terms', terms }, stopword: false } : null;
  };

  const word = (raw: string, at: number): Item | null => {
    const text = raw.replace(/^\+/, '');
    const stem = text.replace(/\*+$/, '');
    // CJK words are already found inside longer runs (as phrases of bigrams), so `*` adds nothing.
    if (stem === text || hasCjk(stem)) {
      const terms = phraseTerms(stem);
      if (terms.length === 0) return null;
      return { node: { kind: 'terms', terms }, stopword: terms.length === 1 && STOPWORDS.has(terms[0]) };
    }
    if (phraseTerms(stem).length > 1) fail(`the prefix "${raw}" at character ${at + 1} must be one word`);
    const prefix = foldWord(stem);
    if (prefix.length === 0) return null;
    if ([...prefix].length < MIN_PREFIX) fail(`the prefix "${raw}" at character ${at + 1} needs at least ${MIN_PREFIX} letters`);
    return { node: { kind: 'prefix', prefix }, stopword: false };
  };

  const root = orGroup(0);
  if (pos < tokens.length) fail(`")" at character ${tokens[pos].at + 1} closes nothing`);
  if (!root) fail('no words to match');
  return { source, root: root! };
}

function lex(source: string, fail: (what: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (/\s/u.test(source[i])) {
      i++;
      continue;
    }
    const at = i;
    let negated = false;
    if (source[i] === '-' && i + 1 < source.length && !/\s/u.test(source[i + 1])) {
      negated = true;
      i++;
    }
    const c = source[i];
    if (c === '"') {
      const end = source.indexOf('"', i + 1);
      if (end < 0) fail(`the quote at character ${i + 1} is never closed`);
      tokens.push({ type: 'phrase', text: source.slice(i + 1, end), at, negated });
      i = end + 1;
    } else if (c === '(' || c === ')') {
      if (c === ')' && negated) fail(`"-" at character ${at + 1} negates nothing`);
      tokens.push({ type: c, at, negated });
      i++;
    } else if (c === '|') {
      if (negated) fail(`"-" at character ${at + 1} negates nothing`);
      tokens.push({ type: 'or', at, negated: false });
      i += source[i + 1] === '|' ? 2 : 1;
    } else {
      let j = i;
      while (j < source.length && !/[\s"()|]/u.test(source[j])) j++;
      const text = source.slice(i, j);
      i = j;
      if (text === 'OR' && !negated) tokens.push({ type: 'or', at, negated: false });
      else if (text !== 'AND' || negated) tokens.push({ type: 'word', text, at, negated });
    }
  }
  return tokens;
}
