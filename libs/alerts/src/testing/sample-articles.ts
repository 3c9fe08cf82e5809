import { ClassifiedArticle, TopicId, articleIdFromUrl } from '@monitor/contracts';

let counter = 0;

/** A classified article written for these tests; every field can be overridden. */
export function sampleArticle(
  overrides: Partial<Omit<ClassifiedArticle, 'topics'>> & { topics?: Array<[TopicId, number]> | ClassifiedArticle['topics'] } = {},
): ClassifiedArticle {
  counter += 1;
  const url = overrides.url ?? `https://news.example.org/releases/${counter}`;
  const { topics, ...rest } = overrides;
  const topicMatches = (topics ?? [['counter-narcotics-operations', 3]]).map((t) =>
    Array.isArray(t) ? { id: t[0], score: t[1], evidence: [{ term: 'seizure', field: 'text' as const, start: 0, end: 7 }] } : t,
  );
  return {
    schema: 'news.classified.v1',
    id: articleIdFromUrl(url),
    sourceId: 'unodc',
    sourceName: 'UNODC',
    url,
    title: 'Border officers seize heroin in joint operation',
    text: 'Customs officers of two neighbouring states seized 120 kilograms of heroin during a joint operation.',
    language: 'en',
    publishedAt: '2025-03-01T08:00:00Z',
    fetchedAt: '2025-03-01T09:00:00Z',
    classifiedAt: '2025-03-01T09:00:01Z',
    taxonomyVersion: 't1',
    ...rest,
    topics: topicMatches,
  };
}
