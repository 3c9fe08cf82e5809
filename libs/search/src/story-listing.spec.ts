import { MonitorError } from '@monitor/contracts';
import { decodeStoryCursor, encodeStoryCursor, parseStoryListRequest, storyLimitOf } from './story-listing';

const refusal = (params: Record<string, unknown>) => {
  try {
    parseStoryListRequest(params);
  } catch (error) {
    return { code: (error as MonitorError).code, message: (error as Error).message };
  }
  throw new Error('accepted');
};

describe('parseStoryListRequest', () => {
  it('reads filters as GET /search does: repeated or comma-separated, singular aliases, dates to ISO', () => {
    expect(parseStoryListRequest({ topic: ['precursors', 'golden-triangle'], lang: 'en,zh', from: '2026-11-01', to: '2026-11-03T12:00:00+02:00' })).toEqual({
      topics: ['precursors', 'golden-triangle'],
      languages: ['en', 'zh'],
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-03T10:00:00.000Z',
      limit: 20,
    });
    expect(parseStoryListRequest({ limit: '5', cursor: encodeStoryCursor({ lastSeen: '2026-11-03T10:00:00.000Z', id: 'story-1' }) })).toMatchObject({ limit: 5 });
  });

  it('names the parameter that is wrong', () => {
    expect(refusal({ limit: '0' }).message).toContain('limit');
    expect(refusal({ limit: '101' }).message).toContain('limit');
    expect(refusal({ topics: 'heroin' }).message).toContain('topics');
    expect(refusal({ from: 'yesterday' }).message).toContain('from');
    // from after to is no error: the range holds nothing (as in GET /search).
    expect(refusal({ colour: 'red' }).message).toContain('colour');
    expect(refusal({ cursor: 'nonsense' })).toEqual({ code: 'VALIDATION_FAILED', message: expect.stringContaining('cursor') });
  });
});

describe('story cursors', () => {
  it('round-trip the position and refuse what no page gave', () => {
    const cursor = { lastSeen: '2026-11-03T10:00:00.000Z', id: 'story-abc' };
    expect(decodeStoryCursor(encodeStoryCursor(cursor))).toEqual(cursor);
    expect(() => decodeStoryCursor(Buffer.from('["not a date","x"]').toString('base64url'))).toThrow('cursor');
    expect(() => decodeStoryCursor(Buffer.from('{}').toString('base64url'))).toThrow('cursor');
  });

  it('clamps the page size', () => {
    expect(storyLimitOf({})).toBe(20);
    expect(storyLimitOf({ limit: 1000 })).toBe(100);
    expect(storyLimitOf({ limit: 0 })).toBe(1);
  });
});
