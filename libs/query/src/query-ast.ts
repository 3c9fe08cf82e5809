/**
 * The one query language of the monitor, shared by search (`q`) and subscriptions (`query`):
 *
 *   heroin afghanistan   every word must occur (AND is implicit; a lone `AND` is ignored)
 *   "drug trafficking"   consecutive words
 *   a OR b, a | b        either; binds looser than AND
 *   -word, -"a b", -(…)  must not occur
 *   traffick*            any word starting so (compared with the indexed terms, which are stems)
 *   ( … )                grouping
 *
 * Leaves hold analysed index terms (libs/text), never raw words, so that the evaluator and both
 * compilers need no analysis of their own and cannot disagree on it.
 */
export type QueryNode =
  /** Terms at consecutive positions of one field; a plain word is one term. */
  | { readonly kind: 'terms'; readonly terms: readonly string[] }
  /** Any term starting with this (folded, unstemmed) prefix. */
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode };

export type QueryLeaf = Extract<QueryNode, { kind: 'terms' | 'prefix' }>;

export interface ParsedQuery {
  readonly source: string;
  readonly root: QueryNode;
}

/** The leaves a matching document may contain (not under a negation): what highlighting marks. */
export function positiveLeaves(node: QueryNode): QueryLeaf[] {
  switch (node.kind) {
    case 'terms':
    case 'prefix':
      return [node];
    case 'and':
    case 'or':
      return node.children.flatMap(positiveLeaves);
    case 'not':
      return [];
  }
}
