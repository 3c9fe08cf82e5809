import { EvidenceSchema, TOPIC_IDS } from '@monitor/contracts';
import { loadDefaultClassifier } from './load-classifier';
import { parseTaxonomy } from './taxonomy-loader';
import { TopicClassifier } from './article-classifier';

const classifier = loadDefaultClassifier();
const ids = (title: string, text: string): string[] => classifier.classify({ title, text }).topics.map((t) => t.id);

describe('TopicClassifier with the shipped taxonomy', () => {
  it('covers every topic of the contract and carries a version', () => {
    expect(classifier.taxonomy.topics.map((t) => t.id).sort()).toEqual([...TOPIC_IDS].sort());
    expect(classifier.classify({ title: 'x', text: '' }).taxonomyVersion).toBe(classifier.taxonomy.version);
  });

  it('matches Russian terms in any inflected form', () => {
    const text = 'Пограничники изъяли крупную партию наркотиков. Контрабанду наркотикам положили конец: изъято 300 кг героина.';
    const result = classifier.classify({ title: 'Таможенники задержали груз с героином', text });
    const ops = result.topics.find((t) => t.id === 'counter-narcotics-operations');
    expect(ops).toBeDefined();
    const words = ops!.evidence.map((e) => (e.field === 'text' ? text : 'Таможенники задержали груз с героином').slice(e.start, e.end));
    expect(words).toEqual(expect.arrayContaining(['изъяли']));
    // The same stem in two cases reaches the drug anchor of the context rule either way.
    const both = classifier.classify({ title: '', text: 'Изъятие наркотиков и борьба с наркотиками на таможне: изъято 50 кг.' });
    expect(both.topics.map((t) => t.id)).toContain('counter-narcotics-operations');
  });

  it('matches Chinese terms without word spaces', () => {
    const title = '海关查获易制毒化学品麻黄碱两吨';
    const text = '日前，海关在边境口岸查获一批易制毒化学品，经鉴定为麻黄碱，可用于制造冰毒。禁毒部门已对易制毒化学品的流向展开调查。';
    const result = classifier.classify({ title, text });
    expect(result.language).toBe('zh');
    const precursors = result.topics.find((t) => t.id === 'precursors');
    expect(precursors).toBeDefined();
    const terms = precursors!.evidence.map((e) => (e.field === 'title' ? title : text).slice(e.start, e.end));
    expect(terms).toContain('易制毒化学品');
    expect(ids('', '禁毒委员会通报：警方缴获海洛因十公斤，破获贩毒团伙一个。')).toContain('counter-narcotics-operations');
  });

  it('reads traditional Chinese as simplified, with evidence pointing into the original characters', () => {
    const title = '海關查獲易製毒化學品麻黃鹼兩噸';
    const text = '日前，海關在邊境口岸查獲一批易製毒化學品，經鑑定為麻黃鹼，可用於製造冰毒。禁毒部門已對易製毒化學品的流向展開調查。';
    const result = classifier.classify({ title, text });
    const precursors = result.topics.find((t) => t.id === 'precursors');
    expect(precursors).toBeDefined();
    const terms = precursors!.evidence.map((e) => (e.field === 'title' ? title : text).slice(e.start, e.end));
    expect(terms).toContain('易製毒化學品');
    // The same article in either script gets the same topics and scores.
    const simplified = classifier.classify({ title: '海关查获易制毒化学品麻黄碱两吨', text: '日前，海关在边境口岸查获一批易制毒化学品，经鉴定为麻黄碱，可用于制造冰毒。禁毒部门已对易制毒化学品的流向展开调查。' });
    expect(result.topics.map((t) => [t.id, t.score])).toEqual(simplified.topics.map((t) => [t.id, t.score]));
  });

  it('gives a human-trafficking article no drug topic, though it says "trafficking" throughout', () => {
    const title = 'Campaign against human trafficking launched on World Day against Trafficking in Persons';
    const text =
      'Human trafficking remains a global crime. Traffickers recruit victims through social media and online advertisements, ' +
      'and trafficking in persons for sexual exploitation and forced labour is rising. Police seized documents and arrested ' +
      'twelve suspects in a joint operation against a human trafficking network. Victims need protection and support.';
    expect(ids(title, text)).toEqual([]);
  });

  it('reads "terrorism, drug trafficking and organised crime" as a list of threats, with one comma', () => {
    const title = 'Россия и Китай подписали соглашение о торговле';
    const text =
      'Россия и Китай подписали межправительственное соглашение о развитии приграничной торговли. ' +
      'Стороны также обсудили борьбу с терроризмом, наркотрафиком и организованной преступностью.';
    expect(ids(title, text)).toEqual([]);
    expect(ids('Trade agreement signed', 'The sides signed a trade agreement. They also discussed terrorism, drug trafficking and organised crime.')).toEqual([]);
  });

  it('subtracts the weight of each negative term from the topic\'s score', () => {
    // The negatives stand in a sentence of their own: beside a drug term, two threat markers and a
    // comma would make the sentence an enumeration and weigh the drug term down as well.
    const lead = 'Online sales of drugs were discussed. Online sales of drugs rose. The report also named ';
    const tail = ' as rising.';
    const withNegatives = classifier.scoreTopic('', `${lead}human trafficking, trafficking in persons and smuggling of migrants${tail}`, 'online-drug-markets');
    const without = classifier.scoreTopic('', `${lead}higher prices, longer queues and slower deliveries${tail}`, 'online-drug-markets');
    const negatives = withNegatives.evidence.filter((e) => (e.weight ?? 0) < 0);
    expect(negatives.map((e) => e.term)).toEqual(['human trafficking', 'trafficking in persons', 'smuggling of migrants']);
    expect(withNegatives.score).toBeLessThan(without.score);
    expect(withNegatives.score).toBeCloseTo(without.score + negatives.reduce((sum, e) => sum + e.weight!, 0));
  });

  it('counts "operation" only near a drug term (context rule)', () => {
    const far = 'The ministry announced a search and rescue operation in the mountains after the earthquake. Police and customs helped the residents.';
    expect(ids('', far)).not.toContain('counter-narcotics-operations');
    const near = 'Police carried out an operation against heroin smugglers; customs officers seized 40 kg of heroin at the border.';
    expect(ids('', near)).toContain('counter-narcotics-operations');
  });

  it('gives no topic for a passing mention of drug trafficking in a list of threats', () => {
    const title = 'SCO ministers discuss trade, transport and investment';
    const text =
      'The ministers discussed the expansion of trade, transport corridors and investment among the member states. ' +
      'They agreed that the joint fight against terrorism, separatism, extremism, drug trafficking and transnational organized crime ' +
      'remains a basis for economic growth. The next meeting will be held next year.';
    expect(ids(title, text)).toEqual([]);
    const zh = '双方表示，将共同打击恐怖主义、分裂主义、极端主义、毒品走私和跨国有组织犯罪，推动贸易和投资合作。';
    expect(ids('上合组织经贸部长会议举行', zh)).toEqual([]);
  });

  it('points evidence offsets at the term in the original title and text', () => {
    const title = 'Heroin SEIZURE: Afghan opiates intercepted';
    const text = '  Border guards seized\n\n42 kg of Afghan  opiates and Наркотиков ёмкость. The Paris Pact partners met.';
    const result = classifier.classify({ title, text });
    expect(result.topics.length).toBeGreaterThan(0);
    for (const topic of result.topics) {
      for (const e of topic.evidence) {
        expect(EvidenceSchema.parse(e)).toEqual(e);
        const source = e.field === 'title' ? title : text;
        const found = source.slice(e.start, e.end);
        expect(found.length).toBeGreaterThan(0);
        // Same word up to case, whitespace runs and inflection.
        const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').replace(/\*$/, '');
        expect(norm(found).startsWith(norm(e.term).slice(0, 3))).toBe(true);
      }
    }
    const afghan = result.topics.find((t) => t.id === 'afghanistan-opiates')!;
    const inText = afghan.evidence.find((e) => e.field === 'text' && e.term === 'afghan opiate*')!;
    expect(text.slice(inText.start, inText.end)).toBe('Afghan  opiates');
  });

  it("reads Thailand's cannabis policy as cannabis legalisation, not as the Golden Triangle, in either script", () => {
    const title = '泰國娛樂用大麻政策再轉彎';
    const text = '泰國政府表示，將修法限制娛樂用大麻，只允許醫療用途。大麻去年被移出毒品管制名單後，大麻店遍布曼谷。';
    expect(ids(title, text)).toContain('cannabis-legalisation');
    expect(ids(title, text)).not.toContain('golden-triangle');
    const en = ids('Thailand to curb recreational cannabis', 'Thailand will restrict recreational use of cannabis to medical purposes after legalisation led to cannabis shops opening across Bangkok.');
    expect(en).toContain('cannabis-legalisation');
    expect(en).not.toContain('golden-triangle');
  });

  it('finds drug sales through drop points in Russian and on the darknet in Chinese', () => {
    const ru = ids('Закладчики прячут наркотики во дворах', 'Покупатели находят продавцов в телеграм-каналах, платят криптовалютой и получают координаты тайника с мефедроном.');
    expect(ru).toContain('online-drug-markets');
    expect(ids('警方打掉一个暗网贩毒团伙', '该团伙在暗网上发布毒品信息，以虚拟币收款，再用快递寄出。')).toContain('online-drug-markets');
  });

  it('links drug money to armed groups in Russian and Chinese', () => {
    const ru = 'По данным экспертов, доходы от наркотрафика остаются главным источником финансирования террористических группировок в регионе.';
    expect(ids('Наркодоходы питают боевиков', ru)).toContain('narcoterrorism');
    expect(ids('警惕“以毒养恐”', '专家指出，贩毒所得的毒资正流向恐怖组织，成为其重要资金来源。')).toContain('narcoterrorism');
  });

  it('needs a drug named somewhere before look-alike words count ("前体" in "提前体验", "spice" as a seasoning)', () => {
    expect(ids('新款手机开放提前体验', '用户可以提前体验新功能，提前体验活动持续一周。')).toEqual([]);
    expect(ids('Spice up your summer: the spice markets of Istanbul', 'Spice traders say spice prices rose this year.')).toEqual([]);
  });

  it('weighs a term in the title more than the same term in the body', () => {
    const inTitle = classifier.scoreTopic('Golden Triangle', 'A report was published.', 'golden-triangle');
    const inBody = classifier.scoreTopic('A report', 'Officials met. A report on the Golden Triangle was published.', 'golden-triangle');
    expect(inTitle.score).toBeGreaterThan(inBody.score);
  });

  it('sorts topics by score and uses a declared language when given', () => {
    const result = classifier.classify({
      title: 'Golden Triangle methamphetamine production hits record, UNODC says',
      text: 'Methamphetamine seizures in East and Southeast Asia reached a record. Synthetic drug production in the Golden Triangle keeps growing in Shan State of Myanmar.',
      lang: 'en',
    });
    expect(result.language).toBe('en');
    const scores = result.topics.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.topics.map((t) => t.id)).toEqual(expect.arrayContaining(['golden-triangle', 'new-psychoactive-substances']));
  });
});

describe('TopicClassifier with a small taxonomy', () => {
  const small = parseTaxonomy(`
version: t1
scoring: { titleWeight: 2, leadWeight: 1, listWeight: 0.2, listMarkersMin: 2, listSeparatorsMin: 2, repeatDecay: 0.5, defaultWithin: 30, maxEvidence: 5 }
anchors:
  drug: { en: [drug, drugs, heroin], ru: [наркотик] }
threatList: { en: [terrorism, extremism, organised crime] }
topics:
  - id: counter-narcotics-operations
    threshold: 3
    terms:
      - weight: 3
        near: [drug]
        en: [operation]
      - weight: 3
        en: [seizure*]
        ru: [изъятие]
      - weight: 3
        en: [interdict*, interdiction]
`);
  const c = new TopicClassifier(small);

  it('applies `within` as a distance in characters', () => {
    expect(c.topicsOf('', 'A drug operation.').map((t) => t.id)).toEqual(['counter-narcotics-operations']);
    expect(c.topicsOf('', 'A drug is mentioned here and then, much later in this sentence, an operation.')).toEqual([]);
  });

  it('decays repeats of one term', () => {
    const once = c.scoreTopic('', 'seizures', 'counter-narcotics-operations').score;
    const twice = c.scoreTopic('', 'seizures and seizures', 'counter-narcotics-operations').score;
    expect(twice).toBeCloseTo(once * 1.5);
  });

  it('counts two terms of one topic on the same words once', () => {
    const both = c.scoreTopic('', 'An interdiction.', 'counter-narcotics-operations');
    expect(both.score).toBe(3);
    expect(both.evidence).toHaveLength(1);
  });

  it('stems Russian taxonomy terms written in any form', () => {
    expect(c.topicsOf('', 'Об изъятии сообщили вчера.').map((t) => t.id)).toEqual(['counter-narcotics-operations']);
  });
});
