/**
 * A taxonomy of a few topics with English terms only, as YAML source, for tests that need the
 * classifier to change its mind between versions (re-classification, first readings) without the
 * weight of the shipped taxonomy. Every topic: threshold 2, one group of weight 2.
 */
export function smallTaxonomySource(version: string, termsByTopic: Record<string, string>): string {
  const topics = Object.entries(termsByTopic)
    .map(([id, terms]) => `  - id: ${id}\n    threshold: 2\n    terms: [{ weight: 2, en: [${terms}] }]`)
    .join('\n');
  return `
version: ${version}
scoring: { titleWeight: 2, leadWeight: 1, listWeight: 0.2, listMarkersMin: 2, listSeparatorsMin: 2, repeatDecay: 0.5, defaultWithin: 30, maxEvidence: 5 }
topics:
${topics}
`;
}
