import { articleIdFromUrl, StoredArticle, TopicId } from '@monitor/contracts';

/** Builds a stored article with the given fields; the id comes from the URL, as in production. */
export function storedArticle(
  fields: Partial<Omit<StoredArticle, 'topics'>> & { slug: string; topics?: TopicId[] },
): StoredArticle {
  const { slug, topics = [], ...rest } = fields;
  const url = rest.url ?? `https://news.example.org/${slug}`;
  return {
    id: articleIdFromUrl(url),
    sourceId: 'unodc',
    url,
    title: slug,
    text: '',
    language: 'en',
    publishedAt: '2024-03-01T09:00:00Z',
    fetchedAt: '2024-06-01T00:00:00Z',
    classifiedAt: '2024-06-01T00:00:01Z',
    taxonomyVersion: 'test-1',
    ...rest,
    topics: topics.map((id) => ({ id, score: 1, evidence: [] })),
  };
}

/**
 * Sample announcements in English, Russian and Chinese written for these tests, with topics,
 * sources and dates chosen so that every filter and facet has a known answer.
 */
export const FIXTURES = {
  heroinRoutes: storedArticle({
    slug: 'heroin-routes',
    sourceId: 'unodc',
    title: 'Heroin seizures rise along routes out of Afghanistan',
    text:
      'Customs officers reported that traffickers moved heroin through the northern route. ' +
      'The office also noted small cannabis seizures at the same border posts.',
    publishedAt: '2024-03-10T08:00:00Z',
    topics: ['afghanistan-opiates', 'counter-narcotics-operations'],
  }),
  onlineMarkets: storedArticle({
    slug: 'online-markets',
    sourceId: 'unodc',
    title: 'Darknet vendors sell new psychoactive substances',
    text: 'Online markets on the darknet keep offering synthetic cathinones and other new substances to buyers.',
    publishedAt: '2024-03-12T08:00:00Z',
    topics: ['online-drug-markets', 'new-psychoactive-substances'],
  }),
  cannabisDebate: storedArticle({
    slug: 'cannabis-debate',
    sourceId: 'un-news',
    title: 'Cannabis regulation debated at the Commission',
    text: 'Delegates from Afghanistan and other states discussed cannabis regulation and the conventions.',
    publishedAt: '2024-04-02T10:30:00Z',
    topics: ['cannabis-legalisation'],
  }),
  scoRussian: storedArticle({
    slug: 'sco-ru-cooperation',
    sourceId: 'sco-ru',
    language: 'ru',
    title: 'Страны ШОС усилят борьбу с незаконным оборотом наркотиков',
    text: 'Министры договорились о совместных операциях против торговцев наркотиками и об обмене сведениями.',
    publishedAt: '2024-03-15T06:00:00Z',
    topics: ['anti-drug-cooperation'],
  }),
  precursorsUndated: storedArticle({
    slug: 'sco-ru-precursors',
    sourceId: 'sco-ru',
    language: 'ru',
    title: 'Совещание экспертов по контролю над прекурсорами',
    text: 'Эксперты обсудили меры по контролю над химическими веществами.',
    publishedAt: null,
    fetchedAt: '2024-05-01T12:00:00Z',
    topics: ['precursors'],
  }),
  scoChinese: storedArticle({
    slug: 'sco-zh-cooperation',
    sourceId: 'sco-zh',
    language: 'zh',
    title: '上合组织成员国加强禁毒合作',
    text: '各方同意在打击毒品贩运方面进一步加强禁毒合作，并定期交换信息。',
    publishedAt: '2024-03-20T02:00:00Z',
    topics: ['anti-drug-cooperation'],
  }),
  chineseMeeting: storedArticle({
    slug: 'sco-zh-meeting',
    sourceId: 'sco-zh',
    language: 'zh',
    title: '上合组织举行经济会议',
    text: '会议讨论了区域经济合作与交通项目。',
    publishedAt: '2024-04-05T02:00:00Z',
    topics: [],
  }),
} satisfies Record<string, StoredArticle>;

export const ALL_FIXTURES: StoredArticle[] = Object.values(FIXTURES);
