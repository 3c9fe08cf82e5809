import { AnalyzedDocument } from './query-evaluator';
import { QueryNode } from './query-ast';

/**
 * Keys for filing many queries so that a document is tried only against those it may match: a
 * query's `requiredKeys` are such that every document it matches has at least one of them among
 * its `documentKeys` (a necessary condition, never a sufficient one). They must follow the
 * evaluator exactly, or a subscription would miss alerts:
 *   terms    one of its terms (the longest: a longer term is usually a rarer one)
 *   prefix   its first PREFIX_KEY characters, which every term it matches starts with
 *   and      every child must hold: the child with the fewest keys
 *   or       any child may hold: the union, none when some child has none
 *   not      none: a document may match by lacking words
 */
const PREFIX_KEY = 3;

/** The keys one of which every matching document holds, or null when the query has none (e.g. `-heroin`). */
export function requiredKeys(node: QueryNode): string[] | null {
  const keys = keysOf(node);
  return keys ? [...keys] : null;
}

function keysOf(node: QueryNode): Set<string> | null {
  switch (node.kind) {
    case 'terms':
      return new Set(['t:' + node.terms.reduce((a, b) => (b.length > a.length ? b : a))]);
    case 'prefix':
      return new Set(['p:' + node.prefix.slice(0, PREFIX_KEY)]);
    case 'not':
      return null;
    case 'and': {
      let best: Set<string> | null = null;
      let bestWeight = 0;
      for (const child of node.children) {
        const keys = keysOf(child);
        if (!keys) continue;
        // Fewer keys mean fewer lookups to reach it; longer keys are usually rarer words.
        const weight = keys.size * 100 - Math.min(99, Math.max(...[...keys].map((k) => k.length)));
        if (!best || weight < bestWeight) [best, bestWeight] = [keys, weight];
      }
      return best;
    }
    case 'or': {
      const union = new Set<string>();
      for (const child of node.children) {
        const keys = keysOf(child);
        if (!keys) return null;
        for (const key of keys) union.add(key);
      }
      return union;
    }
  }
}

const documentKeyCache = new WeakMap<AnalyzedDocument, ReadonlySet<string>>();

/** Every key a query that may match this document can be filed under. */
export function documentKeys(document: AnalyzedDocument): ReadonlySet<string> {
  let keys = documentKeyCache.get(document);
  if (keys) return keys;
  const out = new Set<string>();
  for (const term of document.terms) {
    out.add('t:' + term);
    // A prefix shorter than the key length is its own key (the parser allows two, never one).
    for (let n = 2; n <= PREFIX_KEY && n <= term.length; n++) out.add('p:' + term.slice(0, n));
  }
  keys = out;
  documentKeyCache.set(document, keys);
  return keys;
}
