import { indexTerms } from '@monitor/text';
import { ParsedQuery, QueryNode } from './query-ast';

/**
 * A document analysed once, so that any number of queries can be evaluated on it (the subscription
 * matcher tries hundreds per article). Its fields hold the very term streams the search stores
 * index, so a query means here what it means in Elasticsearch and FTS5: a phrase stays inside one
 * field, a word or a prefix may be in any.
 */
export class AnalyzedDocument {
  /** Each field's term stream, in position order. */
  readonly fields: readonly (readonly string[])[];
  /** Every term of every field. */
  readonly terms: ReadonlySet<string>;
  private positionMaps?: Map<string, number[]>[];
  private sorted?: string[];

  constructor(fields: readonly string[]) {
    this.fields = fields.map(indexTerms);
    const terms = new Set<string>();
    for (const stream of this.fields) for (const term of stream) terms.add(term);
    this.terms = terms;
  }

  /** True when some field holds these terms at consecutive positions. */
  hasPhrase(phrase: readonly string[]): boolean {
    for (const term of phrase) if (!this.terms.has(term)) return false;
    // Positions are looked up only once some phrase gets past the cheap test above.
    this.positionMaps ??= this.fields.map((stream) => {
      const map = new Map<string, number[]>();
      stream.forEach((term, i) => {
        const list = map.get(term);
        if (list) list.push(i);
        else map.set(term, [i]);
      });
      return map;
    });
    for (let f = 0; f < this.fields.length; f++) {
      const stream = this.fields[f];
      next: for (const start of this.positionMaps[f].get(phrase[0]) ?? []) {
        for (let k = 1; k < phrase.length; k++) if (stream[start + k] !== phrase[k]) continue next;
        return true;
      }
    }
    return false;
  }

  /** True when some term starts with the prefix (binary search over the sorted distinct terms). */
  hasPrefix(prefix: string): boolean {
    const sorted = (this.sorted ??= [...this.terms].sort());
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid] < prefix) low = mid + 1;
      else high = mid;
    }
    return low < sorted.length && sorted[low].startsWith(prefix);
  }
}

/** Analyses a document's fields (e.g. title and text) for evaluateQuery. */
export function analyzeDocument(fields: readonly string[]): AnalyzedDocument {
  return new AnalyzedDocument(fields);
}

/** Whether a document matches a query, in memory. */
export function evaluateQuery(query: ParsedQuery | QueryNode, document: AnalyzedDocument): boolean {
  return evaluate('root' in query ? query.root : query, document);
}

function evaluate(node: QueryNode, document: AnalyzedDocument): boolean {
  switch (node.kind) {
    case 'terms':
      return node.terms.length === 1 ? document.terms.has(node.terms[0]) : document.hasPhrase(node.terms);
    case 'prefix':
      return document.hasPrefix(node.prefix);
    case 'and':
      for (const child of node.children) if (!evaluate(child, document)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (evaluate(child, document)) return true;
      return false;
    case 'not':
      return !evaluate(node.child, document);
  }
}
