import { StoredArticle } from '@monitor/contracts';
import { SearchHit, StoryRowSummary } from './search.port';

/**
 * What a search collapsed by story groups on: the story, or the article itself while it has none
 * (story ids are `story-…`, article ids hex digests, so the two never meet).
 */
export function storyKeyOf(article: Pick<StoredArticle, 'id' | 'storyId'>): string {
  return article.storyId ?? article.id;
}

/** A story's counts over all its stored articles, as either store aggregates them. */
export interface StoryCounts {
  articleCount: number;
  languages: readonly string[];
  sourceCount: number;
}

/** Gives each hit that stands for a story the story's summary; hits without a story stay as they are. */
export function withStoryRows(hits: SearchHit[], counts: ReadonlyMap<string, StoryCounts>): SearchHit[] {
  return hits.map((hit) => {
    const storyId = hit.article.storyId;
    const story = storyId === undefined ? undefined : counts.get(storyId);
    if (storyId === undefined || !story) return hit;
    const languages = [...new Set(story.languages)].sort();
    const summary: StoryRowSummary = {
      id: storyId,
      articleCount: story.articleCount,
      languages,
      otherLanguages: languages.filter((language) => language !== hit.article.language),
      sourceCount: story.sourceCount,
    };
    return { ...hit, story: summary };
  });
}
