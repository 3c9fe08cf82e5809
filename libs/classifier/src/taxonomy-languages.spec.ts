import { loadDefaultClassifier } from './load-classifier';

// The monitor reads English, Russian and Chinese: a concept of a topic with no Russian or Chinese
// term is a topic that silently misses that language's articles.
describe('the shipped taxonomy in the three languages', () => {
  const { taxonomy } = loadDefaultClassifier();

  it('names the concept of every term group', () => {
    const unnamed = taxonomy.topics.flatMap((topic) => topic.terms.filter((g) => !g.concept).map((g) => `${topic.id}: ${(g.en ?? g.ru ?? g.zh ?? []).slice(0, 3).join(', ')}`));
    expect(unnamed).toEqual([]);
  });

  it('gives every concept of every topic English, Russian and Chinese terms', () => {
    const lacking = taxonomy.topics.flatMap((topic) =>
      topic.terms.flatMap((g) => (['en', 'ru', 'zh'] as const).filter((lang) => !g[lang]?.length).map((lang) => `${topic.id} / ${g.concept}: no ${lang} term`)),
    );
    expect(lacking).toEqual([]);
  });

  it('gives every anchor set and the threat-list markers all three languages', () => {
    const sets = { ...taxonomy.anchors, threatList: taxonomy.threatList ?? {} };
    const lacking = Object.entries(sets).flatMap(([name, set]) => (['en', 'ru', 'zh'] as const).filter((lang) => !set[lang]?.length).map((lang) => `${name}: no ${lang} term`));
    expect(lacking).toEqual([]);
  });
});
