import { ValidationError } from '@monitor/contracts';
import { parseSearchRequest } from './search-request';

describe('parseSearchRequest', () => {
  it('reads filters in both list forms', () => {
    const query = parseSearchRequest({ q: 'heroin', topic: ['precursors', 'golden-triangle'], languages: 'en,ru', page: '2' });
    expect(query).toMatchObject({ q: 'heroin', topics: ['precursors', 'golden-triangle'], languages: ['en', 'ru'], page: 2, size: 20 });
  });

  it('reads collapse=story, and one row per article without it', () => {
    expect(parseSearchRequest({ q: 'heroin', collapse: 'story' })).toMatchObject({ collapse: 'story' });
    expect(parseSearchRequest({ q: 'heroin' }).collapse).toBeUndefined();
  });

  it('takes a range that holds nothing (from after to) as it is', () => {
    expect(parseSearchRequest({ from: '2026-02-01', to: '2026-01-01' })).toMatchObject({ from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
  });

  it.each([
    [{ topics: 'not-a-topic' }, 'topics'],
    [{ topics: '' }, 'topics'],
    [{ languages: 'en,,ru' }, 'languages'],
    [{ size: '1000' }, 'size'],
    [{ from: 'yesterday' }, 'from'],
    [{ colour: 'red' }, 'colour'],
    [{ q: '"heroin' }, 'q'],
    [{ q: 'heroin OR' }, 'q'],
    [{ collapse: 'source' }, 'collapse'],
  ])('names the bad field in %j', (params, field) => {
    try {
      parseSearchRequest(params);
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
  });
});
