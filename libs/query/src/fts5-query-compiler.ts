import { ParsedQuery, QueryNode } from './query-ast';

/**
 * Compiles a query for an FTS5 table whose columns hold the application's term streams (libs/text)
 * under the unicode61 tokeniser, which splits them back into exactly those terms. A `terms` leaf is
 * an FTS5 phrase (phrases never span columns, as in Elasticsearch), a prefix an FTS5 prefix phrase.
 *
 * FTS5's NOT is binary (`a NOT b`), so a query with a negation that stands alone in its group
 * (`-heroin`, `a OR -b`) has no MATCH expression; toFts5Condition then combines several MATCHes
 * with SQL's own AND, OR and NOT over the rowid.
 */
const literal = (text: string) => `"${text.replace(/"/g, '""')}"`;
const rootOf = (query: ParsedQuery | QueryNode) => ('root' in query ? query.root : query);

/** The FTS5 MATCH expression of a query, or null when FTS5 cannot express it in one (see above). */
export function toFts5Match(query: ParsedQuery | QueryNode): string | null {
  return matchOf(rootOf(query));
}

function matchOf(node: QueryNode): string | null {
  switch (node.kind) {
    case 'terms':
      return literal(node.terms.join(' '));
    case 'prefix':
      return `${literal(node.prefix)} *`;
    case 'not':
      return null;
    case 'or': {
      const parts = node.children.map(matchOf);
      return parts.every((part) => part !== null) ? `(${parts.join(' OR ')})` : null;
    }
    case 'and': {
      const positive = node.children.filter((child) => child.kind !== 'not').map(matchOf);
      const negative = node.children.flatMap((child) => (child.kind === 'not' ? [matchOf(child.child)] : []));
      if (positive.length === 0 || positive.some((part) => part === null) || negative.some((part) => part === null)) return null;
      const all = `(${positive.join(' AND ')})`;
      return negative.length === 0 ? all : `(${all} NOT (${negative.join(' OR ')}))`;
    }
  }
}

export interface Fts5Condition {
  /** A SQL condition on `rowid`, with one `?` per MATCH expression in `params`. */
  sql: string;
  params: string[];
}

/** A SQL condition that holds for the rows of `table` the query matches, whatever its shape. */
export function toFts5Condition(query: ParsedQuery | QueryNode, rowid: string, table: string): Fts5Condition {
  const params: string[] = [];
  const compile = (node: QueryNode): string => {
    const match = matchOf(node);
    if (match !== null) {
      params.push(match);
      return `${rowid} IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`;
    }
    switch (node.kind) {
      case 'not':
        return `NOT (${compile(node.child)})`;
      case 'and':
        return `(${node.children.map(compile).join(' AND ')})`;
      case 'or':
        return `(${node.children.map(compile).join(' OR ')})`;
      default:
        throw new Error(`unreachable: a ${node.kind} leaf always has a MATCH expression`);
    }
  };
  return { sql: compile(rootOf(query)), params };
}
