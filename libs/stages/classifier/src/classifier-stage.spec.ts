import { RawArticle, articleIdFromUrl, parseEvent } from '@monitor/contracts';
import { loadDefaultClassifier } from '@monitor/classifier';
import { classifyRawArticle } from './classifier-stage';

const url = 'https://example.org/heroin';
const raw = (fields: Partial<RawArticle>): RawArticle => ({
  schema: 'news.raw.v1',
  id: articleIdFromUrl(url),
  sourceId: 'test',
  url,
  title: ' Heroin seized at the border ',
  content: '<p>Customs officers seized <b>heroin</b> from Afghanistan.</p>',
  contentType: 'html',
  text: 'Customs officers seized heroin from Afghanistan.',
  publishedAt: null,
  fetchedAt: '2026-11-03T10:05:00.000Z',
  ...fields,
});

describe('classifyRawArticle', () => {
  const classifier = loadDefaultClassifier();

  it('carries the sanitised HTML on for display and classifies the collector text', () => {
    const article = classifyRawArticle(classifier, raw({}), new Date('2026-11-03T10:05:01.000Z'));
    expect(article).toMatchObject({ html: raw({}).content, text: raw({}).text, title: 'Heroin seized at the border', classifiedAt: '2026-11-03T10:05:01.000Z' });
    expect(article.topics.map((t) => t.id)).toContain('counter-narcotics-operations');
    expect(parseEvent('news.classified.v1', article)).toEqual(article);
  });

  it('has no HTML when the feed gave plain text', () => {
    const article = classifyRawArticle(classifier, raw({ contentType: 'text', content: 'Customs officers seized heroin.' }));
    expect(article).not.toHaveProperty('html');
  });
});
