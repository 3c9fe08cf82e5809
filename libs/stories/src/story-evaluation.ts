/**
 * Pairwise figures of a grouping against gold stories: a pair of articles is positive when both
 * sit in one story. Precision, recall and F1 overall and over cross-language pairs only, and how
 * many gold stories were split and how many found stories merged several gold ones.
 */
export interface GroupedArticle {
  id: string;
  language: string;
  gold: string;
  found: string;
}

export interface PairFigures {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  foundPairs: number;
  correctPairs: number;
}

export interface StoryEvaluation {
  articles: number;
  goldStories: number;
  foundStories: number;
  overall: PairFigures;
  crossLanguage: PairFigures;
  /** Gold stories whose articles ended in more than one found story. */
  split: number;
  /** Found stories holding articles of more than one gold story. */
  merged: number;
}

function figures(truePairs: number, foundPairs: number, correctPairs: number): PairFigures {
  const precision = foundPairs === 0 ? 1 : correctPairs / foundPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), truePairs, foundPairs, correctPairs };
}

export function evaluateStories(articles: GroupedArticle[]): StoryEvaluation {
  let truePairs = 0;
  let foundPairs = 0;
  let correct = 0;
  let crossTrue = 0;
  let crossFound = 0;
  let crossCorrect = 0;
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      const a = articles[i];
      const b = articles[j];
      const same = a.gold === b.gold;
      const together = a.found === b.found;
      const cross = a.language !== b.language;
      if (same) truePairs++;
      if (together) foundPairs++;
      if (same && together) correct++;
      if (cross) {
        if (same) crossTrue++;
        if (together) crossFound++;
        if (same && together) crossCorrect++;
      }
    }
  }
  const spread = (key: 'gold' | 'found', other: 'gold' | 'found'): number => {
    const groups = new Map<string, Set<string>>();
    for (const a of articles) groups.set(a[key], (groups.get(a[key]) ?? new Set()).add(a[other]));
    return [...groups.values()].filter((s) => s.size > 1).length;
  };
  return {
    articles: articles.length,
    goldStories: new Set(articles.map((a) => a.gold)).size,
    foundStories: new Set(articles.map((a) => a.found)).size,
    overall: figures(truePairs, foundPairs, correct),
    crossLanguage: figures(crossTrue, crossFound, crossCorrect),
    split: spread('gold', 'found'),
    merged: spread('found', 'gold'),
  };
}
