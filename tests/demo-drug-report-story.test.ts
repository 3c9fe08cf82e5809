import { loadDefaultClassifier } from '@monitor/classifier';
import { loadSampleAnnouncements } from '@monitor/demo';
import { EntityFinder, StoryAssigner, loadGazetteer, type StoryArticle } from '@monitor/stories';

// A report that came after the demo content in a running monitor: an SCO drug experts' meeting in
// Tashkent, in English, Russian and Chinese (texts written for this test). The demo holds two SCO
// meetings in Tashkent with nothing on drugs (heads of government on trade, transport ministers),
// which share with it a city and a body only; the report once joined their story. Topics are the
// classifier's, as the pipeline gives them to the stories stage; dates are the demo's as its feed
// server serves them (shifted to now).
const now = new Date('2026-12-05T06:00:00Z');
const classifier = loadDefaultClassifier();
const topicsOf = (title: string, text: string, language: string): string[] => classifier.classify({ title, text, lang: language }).topics.map((t) => t.id);

const REPORTS = [
  {
    id: 'tashkent-experts-en',
    language: 'en',
    sourceId: 'sco-en',
    title: 'SCO anti-drug experts meet in Tashkent to prepare the 2029 joint operation against synthetic drugs',
    text: 'Experts of the competent drug-control authorities of the SCO member states met in Tashkent to prepare the joint operation against synthetic drugs planned for 2029. They agreed on the plan of the operation, the exchange of information on new psychoactive substances and the training of customs officers.',
  },
  {
    id: 'tashkent-experts-ru',
    language: 'ru',
    sourceId: 'sco-ru',
    title: 'В Ташкенте эксперты ШОС готовят совместную операцию 2029 года против синтетических наркотиков',
    text: 'Эксперты компетентных антинаркотических ведомств государств – членов ШОС провели в Ташкенте встречу по подготовке совместной операции против синтетических наркотиков, запланированной на 2029 год. Они согласовали план операции, обмен информацией о новых психоактивных веществах и обучение сотрудников таможни.',
  },
  {
    id: 'tashkent-experts-zh',
    language: 'zh',
    sourceId: 'sco-zh',
    title: '上合组织禁毒专家在塔什干筹备2029年打击合成毒品联合行动',
    text: '上合组织成员国禁毒主管部门专家在塔什干举行会议，筹备计划于2029年开展的打击合成毒品联合行动。与会专家商定了行动方案，并就新精神活性物质信息交流和海关人员培训达成一致。',
  },
];

describe('a drug report after the demo content', () => {
  it('makes a story of its own in three languages, apart from the demo story of the trade meetings in the same city', () => {
    const assigner = new StoryAssigner({}, new EntityFinder(loadGazetteer()));
    const samples = loadSampleAnnouncements({ now }).sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
    for (const s of samples) {
      const text = s.text || s.paragraphs.join('\n\n');
      assigner.assign({ id: s.id, title: s.title, text, language: s.language, sourceId: s.source, publishedAt: Date.parse(s.publishedAt), topics: topicsOf(s.title, text, s.language) });
    }
    const stories = REPORTS.map((r) => {
      const topics = topicsOf(r.title, r.text, r.language);
      expect(topics).toContain('anti-drug-cooperation');
      const article: StoryArticle = { ...r, publishedAt: now.getTime(), topics };
      return assigner.assign(article).story;
    });
    expect(new Set(stories.map((s) => s.id)).size).toBe(1);
    expect(stories[0].articleIds).toEqual(REPORTS.map((r) => r.id));
    expect([...stories[0].languages].sort()).toEqual(['en', 'ru', 'zh']);
  });
});
