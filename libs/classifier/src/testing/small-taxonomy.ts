/**
 * A taxonomy of a few topics with English terms only, as YAML source, for tests that need the
 * classifier to change its mind between versions (re-classification, first readings) without the
 * weight of the shipped taxonomy. Every topic: one group of weight 2, threshold 2 unless given
 * (above 2, one term in the body is a topic the rules half-see).
 */
export function smallTaxonomySource(version: string, termsByTopic: Record<string, string>, threshold = 2): string {
  const topics = Object.entries(termsByTopic)
    .map(([id, terms]) => `  - id: ${id}\n    threshold: ${threshold}\n    terms: [{ weight: 2, en: [${terms}] }]`)
    .join('\n');
  return `
version: ${version}
scoring: { titleWeight: 2, leadWeight: 1, listWeight: 0.2, listMarkersMin: 2, listSeparatorsMin: 2, repeatDecay: 0.5, defaultWithin: 30, maxEvidence: 5 }
topics:
${topics}
`;
}
