import { EntityFinder, loadGazetteer } from './gazetteer';
import { StoryAssigner, storyIdFor, type StoryArticle } from './story-assigner';

const day = 24 * 3600_000;
const t0 = Date.parse('2024-05-14T08:00:00Z');
const article = (id: string, language: string, title: string, text: string, at = t0, sourceId = 'src'): StoryArticle => ({ id, language, title, text, publishedAt: at, sourceId });

const meetingEn = article(
  'en-1',
  'en',
  'SCO drug control chiefs meet in Dushanbe',
  'The heads of the competent authorities of SCO member states for combating illicit drug trafficking held their 12th meeting in Dushanbe and approved a plan for 2024-2026.',
);
const meetingRu = article(
  'ru-1',
  'ru',
  'В Душанбе прошло совещание руководителей антинаркотических ведомств ШОС',
  'В Душанбе состоялось 12-е совещание руководителей компетентных органов государств — членов ШОС, уполномоченных на борьбу с незаконным оборотом наркотиков.',
  t0 + 5 * 3600_000,
  'tass',
);
const meetingZh = article('zh-1', 'zh', '上合组织禁毒部门领导人第十二次会议在杜尚别举行', '上海合作组织成员国禁毒部门领导人第十二次会议在塔吉克斯坦首都杜尚别举行，会议通过了合作计划。', t0 + 8 * 3600_000, 'xinhua');
const seizure = article('en-2', 'en', 'Customs seize 1.5 tonnes of cannabis at Karachi port', 'Pakistan customs officers seized 1.5 tonnes of cannabis hidden in a container bound for the Gulf.', t0 + 3600_000, 'dawn');

describe('StoryAssigner', () => {
  it('puts the English, Russian and Chinese reports of one meeting in one story, and another event in its own', () => {
    const assigner = new StoryAssigner();
    const first = assigner.assign(meetingEn);
    expect(first.created).toBe(true);
    expect(first.story.id).toBe(storyIdFor('en-1'));
    const other = assigner.assign(seizure);
    expect(other.created).toBe(true);
    expect(assigner.assign(meetingRu).story.id).toBe(first.story.id);
    const zh = assigner.assign(meetingZh);
    expect(zh.story.id).toBe(first.story.id);
    expect([...zh.story.languages].sort()).toEqual(['en', 'ru', 'zh']);
    expect([...zh.story.sources].sort()).toEqual(['src', 'tass', 'xinhua']);
  });

  it('does not join two languages on a body that much of the window names, and does on a country few name', () => {
    // A UN-style window: most reports name UNODC. Texts written for this test.
    const assigner = new StoryAssigner();
    const filler = ['Vienna', 'Bangkok', 'Kabul', 'Tehran', 'Geneva', 'Yangon'].map((city, i) =>
      article(`f-${i}`, 'en', `UNODC programme update from ${city}`, `UNODC staff in ${city} reported on the programme.`, t0 - (i + 1) * 3600_000, 'un'),
    );
    for (const f of filler) assigner.assign(f);
    const trafficking = assigner.assign(article('en-t', 'en', 'Children are a growing share of trafficking victims, UNODC report finds', 'The UNODC global report on trafficking in persons finds more child victims.', t0, 'un'));
    const hiv = assigner.assign(
      article('ru-h', 'ru', 'УНП ООН: услуги снижения вреда охватывают больше людей', 'Управление ООН по наркотикам и преступности сообщает о расширении программ профилактики ВИЧ.', t0 + 3600_000, 'un-ru'),
    );
    expect(hiv.story.id).not.toBe(trafficking.story.id);
    // Two such reports that also name a country no other report of the window names: one story.
    const myanmar = assigner.assign(article('ru-y', 'ru', 'УНП ООН в Мандалае', 'Управление ООН по наркотикам и преступности провело в Мандалае встречу; Мьянма.', t0 + 2 * 3600_000, 'un-ru'));
    const myanmarEn = assigner.assign(article('en-y', 'en', 'UNODC meeting in Mandalay, Myanmar', 'UNODC held a meeting in Mandalay, Myanmar.', t0 + 3 * 3600_000, 'un'));
    expect(myanmarEn.story.id).toBe(myanmar.story.id);
  });

  describe('in a window that has just started, when every name is still rare in it', () => {
    // Texts written for this test. The reports arrive first, as after a restart on a backlog: the
    // window holds nothing yet that would show how many reports name the SCO.
    const meeting = article(
      'en-m',
      'en',
      'SCO drug control chiefs meet in Bishkek',
      'The heads of the competent authorities of SCO member states met in Bishkek, Kyrgyzstan, and discussed synthetic drugs and the situation in Afghanistan.',
    );
    const exhibition = article('ru-x', 'ru', 'В Пекине открылась выставка ремесел стран ШОС', 'В секретариате ШОС в Пекине открылась выставка ковров и керамики.', t0 + 3600_000, 'sco-ru');

    it('does not join two languages on a body the gazetteer marks common, shared among facts that differ', () => {
      const assigner = new StoryAssigner();
      const first = assigner.assign(meeting);
      expect(assigner.assign(exhibition).story.id).not.toBe(first.story.id);
    });

    it('joins them on that body with a gazetteer that does not mark it (the mark decides, not the texts)', () => {
      const unmarked = loadGazetteer().map((entity) => ({ ...entity, common: false }));
      const assigner = new StoryAssigner({}, new EntityFinder(unmarked));
      const first = assigner.assign(meeting);
      expect(assigner.assign(exhibition).story.id).toBe(first.story.id);
    });

    it('still joins two reports that name a common body and little else', () => {
      const assigner = new StoryAssigner();
      const en = assigner.assign(article('en-i', 'en', 'INCB launches its annual report', 'The INCB presented its annual report today.'));
      const ru = assigner.assign(article('ru-i', 'ru', 'МККН представил ежегодный доклад', 'МККН сегодня представил свой ежегодный доклад.', t0 + 3600_000, 'un-ru'));
      expect(ru.story.id).toBe(en.story.id);
    });
  });

  describe('between an article with topics and one without', () => {
    // Texts written for this test: two SCO meetings in Tashkent with nothing on drugs (no topics),
    // then the three reports of a drug experts' meeting there, with the classifier's topic.
    const drugs = ['anti-drug-cooperation'];
    const trade = article(
      'trade-en',
      'en',
      'SCO heads of government review trade and economic cooperation',
      'The regular meeting of the Council of Heads of Government of the SCO member states was held in Tashkent. The prime ministers noted that trade between the member states kept growing, approved the budget of the Organisation for the next year and agreed to step up work on transport corridors linking Central Asia with seaports, on the digital economy and on settlements in national currencies. Energy cooperation, renewable power plants and tourism were also on the agenda.',
      t0 - 30 * 3600_000,
      'sco-en',
    );
    const transport = article(
      'transport-ru',
      'ru',
      'В Ташкенте прошло совещание министров транспорта ШОС',
      'В Ташкенте состоялось совещание министров транспорта государств – членов ШОС. Обсуждались транспортные коридоры, железные дороги и упрощение пересечения границ для грузов.',
      t0 - 20 * 3600_000,
      'sco-ru',
    );
    const expertsEn = {
      ...article(
        'experts-en',
        'en',
        'SCO anti-drug experts meet in Tashkent to prepare the 2029 joint operation against synthetic drugs',
        'Experts of the competent drug-control authorities of the SCO member states met in Tashkent to prepare the joint operation against synthetic drugs planned for 2029, and agreed on the exchange of information on new psychoactive substances.',
        t0,
        'sco-en',
      ),
      topics: drugs,
    };
    const expertsRu = {
      ...article(
        'experts-ru',
        'ru',
        'В Ташкенте эксперты ШОС готовят совместную операцию 2029 года против синтетических наркотиков',
        'Эксперты антинаркотических ведомств государств – членов ШОС провели в Ташкенте встречу по подготовке совместной операции против синтетических наркотиков, запланированной на 2029 год.',
        t0 + 2 * 3600_000,
        'sco-ru',
      ),
      topics: drugs,
    };
    const expertsZh = {
      ...article('experts-zh', 'zh', '上合组织禁毒专家在塔什干筹备2029年打击合成毒品联合行动', '上合组织成员国禁毒主管部门专家在塔什干举行会议，筹备计划于2029年开展的打击合成毒品联合行动。', t0 + 4 * 3600_000, 'sco-zh'),
      topics: drugs,
    };

    it('does not join a drug report to a story it shares only a city and a body with, and its three languages make a story of their own', () => {
      const assigner = new StoryAssigner();
      // A window the size of the demo's, so that a city four of its articles name is still rare.
      for (let i = 0; i < 40; i++) assigner.assign(article(`f-${i}`, 'en', `Press release ${i} of the week`, `A press release on matters of the week, item ${i}.`, t0 - (i + 40) * 3600_000, 'other'));
      const tradeStory = assigner.assign(trade).story;
      assigner.assign(transport);
      const en = assigner.assign(expertsEn);
      expect(en.created).toBe(true);
      expect(assigner.assign(expertsRu).story.id).toBe(en.story.id);
      const zh = assigner.assign(expertsZh);
      expect(zh.story.id).toBe(en.story.id);
      expect(zh.story.articleIds).toEqual(['experts-en', 'experts-ru', 'experts-zh']);
      expect(tradeStory.articleIds).not.toContain('experts-en');
    });

    it('still joins them on a number they share beside the place: the classifier misses topics in some languages', () => {
      const assigner = new StoryAssigner();
      const en = assigner.assign({ ...seizure, topics: ['cannabis'] });
      const ru = assigner.assign(article('ru-2', 'ru', 'Таможня Карачи изъяла 1,5 тонны каннабиса', 'Таможенники Пакистана в порту Карачи обнаружили 1,5 тонны каннабиса в контейнере.', t0 + 2 * 3600_000, 'tass'));
      expect(ru.story.id).toBe(en.story.id);
    });

    it('joins two articles that both have no topics on a place, as before', () => {
      const assigner = new StoryAssigner();
      const first = assigner.assign(trade);
      expect(assigner.assign(transport).story.id).toBe(first.story.id);
    });
  });

  it('does not join a report of the same kind of meeting a year later', () => {
    const assigner = new StoryAssigner();
    const first = assigner.assign(meetingEn);
    const nextYear = assigner.assign({ ...meetingEn, id: 'en-9', publishedAt: t0 + 365 * day, text: meetingEn.text.replace('12th', '13th').replace('2024-2026', '2025-2027') });
    expect(nextYear.story.id).not.toBe(first.story.id);
  });

  it('gives the same ids to the same stream in any process', () => {
    const run = () => {
      const assigner = new StoryAssigner();
      return [meetingEn, seizure, meetingRu, meetingZh].map((a) => assigner.assign(a).story.id);
    };
    expect(run()).toEqual(run());
  });

  it('forgets articles older than the window', () => {
    const assigner = new StoryAssigner({ windowMs: 2 * day });
    assigner.assign(meetingEn);
    assigner.assign({ ...seizure, publishedAt: t0 + 3 * day });
    expect(assigner.size).toBe(1);
  });

  it('rebuilt from remembered assignments, decides the next article as the process that assigned them', () => {
    const original = new StoryAssigner();
    const opened = original.assign(meetingEn);
    original.assign(seizure);
    const rebuilt = new StoryAssigner();
    rebuilt.remember(meetingEn, opened.story.id);
    rebuilt.remember(seizure, storyIdFor(seizure.id));
    expect(rebuilt.has(meetingEn.id)).toBe(true);
    const joined = rebuilt.assign(meetingRu);
    expect(joined.created).toBe(false);
    expect(joined.story.id).toBe(original.assign(meetingRu).story.id);
    expect(joined.story.articleIds).toEqual([meetingEn.id, meetingRu.id]);
  });

  it('remembers an article under the story it was given, even one it would not have chosen', () => {
    const assigner = new StoryAssigner();
    assigner.assign(meetingEn);
    const story = assigner.remember(seizure, storyIdFor(meetingEn.id));
    expect(story.id).toBe(storyIdFor(meetingEn.id));
    expect([...story.sources].sort()).toEqual(['dawn', 'src']);
    expect(assigner.remember(seizure, 'story-other').id).toBe(story.id);
    expect(assigner.size).toBe(2);
  });

  it('forgets remembered articles with the window, and their story once none is left', () => {
    const assigner = new StoryAssigner({ windowMs: 2 * day });
    assigner.remember(meetingEn, 'story-a');
    assigner.remember({ ...seizure, publishedAt: t0 + 3 * day }, 'story-b');
    expect(assigner.has(meetingEn.id)).toBe(false);
    const later = assigner.remember({ ...meetingRu, publishedAt: t0 + 3 * day }, 'story-a');
    expect(later.articleIds).toEqual([meetingRu.id]);
  });
});
