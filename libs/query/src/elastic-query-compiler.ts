import type { estypes } from '@elastic/elasticsearch';
import { ParsedQuery, QueryNode } from './query-ast';

/** A field holding analysed terms (indexed with the `whitespace` analyser), with its relevance boost. */
export interface ElasticTermField {
  name: string;
  boost?: number;
}

/**
 * Compiles a query to Elasticsearch query DSL over fields that hold the application's term streams
 * (libs/text) indexed with the `whitespace` analyser, so Elasticsearch compares exactly the terms
 * the evaluator compares: a `terms` leaf is a phrase in any one field, a prefix a `prefix` query on
 * the terms, a negation `must_not` (a bool of only `must_not` matches every other document).
 */
export function toElasticQuery(query: ParsedQuery | QueryNode, fields: readonly ElasticTermField[]): estypes.QueryDslQueryContainer {
  const named = fields.map((field) => (field.boost && field.boost !== 1 ? `${field.name}^${field.boost}` : field.name));
  const compile = (node: QueryNode): estypes.QueryDslQueryContainer => {
    switch (node.kind) {
      case 'terms':
        return { multi_match: { query: node.terms.join(' '), type: 'phrase', fields: named } };
      case 'prefix':
        return {
          bool: {
            should: fields.map((field) => ({ prefix: { [field.name]: { value: node.prefix, ...(field.boost ? { boost: field.boost } : {}) } } })),
            minimum_should_match: 1,
          },
        };
      case 'and': {
        const must = node.children.filter((child) => child.kind !== 'not').map(compile);
        const mustNot = node.children.flatMap((child) => (child.kind === 'not' ? [compile(child.child)] : []));
        return { bool: { ...(must.length ? { must } : {}), ...(mustNot.length ? { must_not: mustNot } : {}) } };
      }
      case 'or':
        return { bool: { should: node.children.map(compile), minimum_should_match: 1 } };
      case 'not':
        return { bool: { must_not: [compile(node.child)] } };
    }
  };
  return compile('root' in query ? query.root : query);
}
