import { storedArticle } from './testing/store-fixtures';
import { storyKeyOf, withStoryRows } from './story-rows';

describe('story rows of a collapsed search', () => {
  const english = { ...storedArticle({ slug: 'sco-en', language: 'en' }), storyId: 'story-1' };
  const alone = storedArticle({ slug: 'alone' });

  it('groups on the story, or on the article itself while it has none', () => {
    expect(storyKeyOf(english)).toBe('story-1');
    expect(storyKeyOf(alone)).toBe(alone.id);
  });

  it('says which other languages the story is in, from all its articles', () => {
    const hits = withStoryRows(
      [{ article: english, score: 1, highlights: {} }, { article: alone, score: 0.5, highlights: {} }],
      new Map([['story-1', { articleCount: 4, languages: ['zh', 'en', 'ru', 'en'], sourceCount: 3 }]]),
    );
    expect(hits[0].story).toEqual({ id: 'story-1', articleCount: 4, languages: ['en', 'ru', 'zh'], otherLanguages: ['ru', 'zh'], sourceCount: 3 });
    expect(hits[1]).toEqual({ article: alone, score: 0.5, highlights: {} });
  });
});
