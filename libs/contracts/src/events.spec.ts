import { articleIdFromUrl, parseEvent, ValidationError } from './index';

describe('event contracts', () => {
  const raw = {
    schema: 'news.raw.v1',
    id: articleIdFromUrl('https://example.org/a'),
    sourceId: 'unodc-en',
    url: 'https://example.org/a',
    title: 'Title',
    content: '<p>Body</p>',
    contentType: 'html',
    text: 'Body',
    publishedAt: null,
    fetchedAt: '2026-01-01T00:00:00.000Z',
  };

  it('accepts a valid raw event', () => {
    expect(parseEvent('news.raw.v1', raw).title).toBe('Title');
  });

  it('names the offending field', () => {
    expect(() => parseEvent('news.raw.v1', { ...raw, url: 'not a url' })).toThrow(/url/);
    expect(() => parseEvent('news.raw.v1', { ...raw, id: 'x' })).toThrow(expect.objectContaining({ constructor: ValidationError, field: 'id' }));
  });

  it('derives the same id for the same url and different ids for different urls', () => {
    expect(articleIdFromUrl('https://a/1')).toBe(articleIdFromUrl('https://a/1'));
    expect(articleIdFromUrl('https://a/1')).not.toBe(articleIdFromUrl('https://a/2'));
  });
});
