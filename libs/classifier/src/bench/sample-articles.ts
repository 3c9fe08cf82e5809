/**
 * Sample announcements for the classifier bench, written for this project (not taken from any
 * source): the length (~2,000 characters) and the register of SCO and UNODC news in English,
 * Russian and Chinese, with and without drug-control content.
 */
export interface SampleArticle {
  title: string;
  text: string;
}

const en1: SampleArticle = {
  title: 'Heads of SCO counter-narcotics agencies review joint work against Afghan opiate trafficking',
  text: `On 14 April, the capital of the chairing state hosted the regular meeting of the heads of the competent authorities for combating illicit drug trafficking of the SCO member states. The delegations reviewed the drug situation in the region and the results of the joint work carried out in the past year under the Anti-Drug Strategy and its Action Programme.
The participants noted that drug trafficking from Afghanistan remains the main source of heroin and opium on the routes through Central Asia, while the volume of synthetic drugs sold via the Internet keeps growing. The heads of delegations exchanged data on seizures: law-enforcement agencies of the member states confiscated more than 40 tonnes of narcotic drugs, including 5 tonnes of heroin and 12 tonnes of hashish, and dismantled several clandestine laboratories producing methamphetamine.
Special attention was paid to the control of precursors. The experts agreed to share information on suspicious shipments of acetic anhydride and to hold a joint training course for customs officers on the identification of precursor chemicals at border crossings.
The meeting welcomed the results of the international anti-drug operation conducted in the spring, during which the competent authorities carried out controlled deliveries and arrested members of transnational drug trafficking groups.
Representatives of the UN Office on Drugs and Crime briefed the participants on the findings of the latest World Drug Report and on the regional programme for Central Asia. The parties stressed the importance of the three UN drug control conventions as the cornerstone of the international drug control system.
Following the meeting, the heads of delegations signed a protocol and agreed to hold the next meeting in the following year. The SCO Secretariat will continue to coordinate the implementation of the agreed decisions.
The delegations also adopted a plan of joint events for the coming year, including an expert seminar on financial investigations of drug-related crimes, an exchange of liaison officers between border services and a meeting of the working group on drug demand reduction.`,
};

const en2: SampleArticle = {
  title: 'UNODC and partners launch a campaign on drug use prevention among young people',
  text: `To mark the International Day against Drug Abuse and Illicit Trafficking, UNODC and national partners launched a campaign to prevent drug use among young people in schools and universities. The campaign brings together teachers, parents, health workers and youth organizations and promotes the family skills programme that has proved effective in preventing substance use.
According to the latest estimates, around 300 million people used drugs in the past year, and the number of people suffering from drug use disorders continues to rise. Only one in five of them receives treatment. The campaign calls for evidence-based prevention, treatment and rehabilitation services and for harm reduction measures, including opioid substitution therapy and naloxone to prevent overdose deaths.
Speakers stressed that HIV and hepatitis C remain widespread among people who inject drugs and that stigma prevents many of them from seeking help. Health services should be accessible and respect human rights.
The campaign will run for six months. Youth ambassadors will visit schools in ten provinces, and an online platform will offer information on the risks of drug use, including new psychoactive substances that are often sold as legal highs.
Participants also discussed the situation of prisons, where drug use is frequent, and the need to offer treatment as an alternative to conviction or punishment for minor drug offences, in line with the international drug control conventions.
The event closed with a concert organized by students and volunteers. The organizers thanked the donors whose support made the campaign possible and invited other partners to join it in the coming months and years.
A second phase will extend the programme to rural districts, where access to treatment services is limited, and will train local doctors, nurses and social workers to recognise the first signs of dependence among adolescents and to refer them to specialised care.`,
};

const en3: SampleArticle = {
  title: 'SCO Secretary-General meets delegation of regional business council',
  text: `On 3 June, SCO Secretary-General held a meeting at the SCO Secretariat with a delegation of the regional business council led by its chairman. The parties discussed the development of trade and economic cooperation among the SCO member states, the expansion of transport corridors and the use of digital technologies in cross-border trade.
The Secretary-General noted that the SCO countries account for a quarter of global economic output and that the organisation pays great attention to connectivity projects, the development of small and medium-sized enterprises and the promotion of investment. He said that the business community plays an important role in implementing the decisions of the heads of state.
The chairman of the council informed the Secretary-General about the forthcoming investment forum, which will bring together representatives of more than two hundred companies from the member states, observer states and dialogue partners. The forum will discuss green energy, agriculture, logistics, tourism and the digital economy.
The parties also exchanged views on the preparations for the upcoming summit and on cultural and humanitarian exchanges, including youth programmes and university cooperation. They agreed to continue close interaction between the Secretariat and the business council.
The Secretary-General stressed that security and stability in the region, including the joint fight against terrorism, separatism and extremism, drug trafficking and organized crime, remain a basis for economic growth and for the well-being of the peoples of the SCO countries.
At the end of the meeting, the sides expressed satisfaction with the results of the talks and confirmed their readiness to further deepen practical cooperation.
The delegation later visited the exhibition hall of the Secretariat, where it was shown the history of the organisation, gifts from the member states and photographs from past summits, and met young diplomats working in the Secretariat's departments for economic cooperation and for humanitarian ties.`,
};

const ru1: SampleArticle = {
  title: 'В странах ШОС подвели итоги совместной антинаркотической операции',
  text: `В Секретариате ШОС состоялось совещание экспертов компетентных органов государств-членов по итогам международной антинаркотической операции, проведённой весной текущего года. Участники отметили, что в ходе операции из незаконного оборота изъято более 20 тонн наркотиков, в том числе героин афганского происхождения, гашиш и синтетические наркотики.
По данным правоохранительных органов, пресечена деятельность нескольких транснациональных преступных группировок, занимавшихся контрабандой наркотиков из Афганистана через государства Центральной Азии. Задержаны наркокурьеры, ликвидированы подпольные нарколаборатории, изъяты крупные партии прекурсоров, в том числе уксусного ангидрида.
Эксперты обратили внимание на рост продаж синтетических наркотиков через интернет бесконтактным способом: сбыт организуется в мессенджерах, а оплата производится в криптовалюте. Предложено расширить обмен информацией о сайтах и аккаунтах, используемых наркоторговцами.
Стороны подчеркнули важность реализации Антинаркотической стратегии государств-членов ШОС и Программы действий по её выполнению, а также сотрудничества с Управлением ООН по наркотикам и преступности.
Отдельно обсуждались вопросы профилактики наркомании среди молодёжи, лечения и реабилитации наркозависимых. Участники выступили против легализации наркотиков в немедицинских целях и подтвердили приверженность трём конвенциям ООН о контроле над наркотиками.
По итогам совещания подписан протокол. Следующее заседание экспертной группы планируется провести во втором полугодии.
Участники также договорились подготовить совместный аналитический обзор наркоситуации в регионе, провести семинар для сотрудников пограничных и таможенных служб по выявлению тайников в транспортных средствах и организовать стажировки кинологов.`,
};

const ru2: SampleArticle = {
  title: 'Генеральный секретарь ШОС принял участие в форуме по туризму',
  text: `Генеральный секретарь ШОС принял участие в международном форуме по развитию туризма, который прошёл в одном из древних городов региона. В работе форума приняли участие министры туризма государств-членов, представители туроператоров, авиакомпаний и гостиничного бизнеса.
Выступая на пленарном заседании, Генеральный секретарь отметил, что туризм является одной из наиболее динамично развивающихся отраслей экономики стран ШОС. По его словам, в прошлом году число взаимных поездок граждан выросло почти на треть, а новые авиарейсы связали десятки городов.
Участники обсудили упрощение визовых процедур, создание единых туристических маршрутов по Великому шёлковому пути, развитие экологического и гастрономического туризма, а также подготовку кадров для отрасли. Особое внимание было уделено цифровым сервисам для путешественников.
В рамках форума состоялась выставка, на которой регионы представили свои туристические возможности, народные промыслы и национальную кухню. Гостям показали концертную программу с участием творческих коллективов.
Генеральный секретарь подчеркнул, что безопасность туристов, в том числе противодействие терроризму, экстремизму, незаконному обороту наркотиков и организованной преступности, остаётся важной задачей для всех государств-членов.
По итогам форума принята декларация о дальнейшем развитии сотрудничества в сфере туризма.
Следующий форум решено провести через два года в другом государстве-члене. Организаторы предложили учредить премию за лучшие проекты в области культурного туризма и создать единый электронный календарь событий, фестивалей и выставок стран организации, доступный на нескольких языках.`,
};

const zh1: SampleArticle = {
  title: '上合组织成员国禁毒部门领导人会议在京举行',
  text: `日前，上海合作组织成员国禁毒部门领导人会议在北京举行。各成员国代表团团长出席会议，就地区毒品形势、禁毒合作成果以及下一阶段重点工作深入交换意见。
会议指出，当前阿富汗毒品问题依然严峻，鸦片和海洛因经中亚向外贩运的威胁没有减弱。与此同时，合成毒品和新精神活性物质快速蔓延，利用互联网贩毒、通过快递寄递渠道运输毒品的案件明显增多，给各国禁毒执法工作带来新的挑战。
各方介绍了过去一年开展联合缉毒行动的情况。据统计，成员国执法部门共破获毒品案件数万起，缴获各类毒品数十吨，捣毁制毒窝点多处，查获易制毒化学品一批，有力打击了跨国贩毒团伙。
会议强调，将继续落实《上合组织成员国禁毒战略》及其落实行动计划，加强情报交流、联合侦查和易制毒化学品管控合作，深化与联合国毒品和犯罪问题办公室等国际组织的合作，坚定维护三大禁毒公约确立的国际禁毒体系。
会议还讨论了毒品预防教育和戒毒康复工作，各方同意在青少年中广泛开展禁毒宣传，共同营造全社会参与禁毒的良好氛围。
会后，各方签署了会议纪要，并商定下次会议的时间和地点。
会议期间，各代表团还参观了禁毒教育基地和海关查验现场，了解了运用大数据、毒品快速检测设备和缉毒犬开展查缉工作的做法。各方表示，将在人员培训、技术装备和情报研判等方面进一步加强务实合作，共同应对毒品问题带来的新威胁新挑战。`,
};

const zh2: SampleArticle = {
  title: '上合组织秘书长会见来访的文化代表团',
  text: `近日，上海合作组织秘书长在秘书处会见了来访的文化代表团，双方就加强人文交流、推动文化旅游合作等议题交换了意见。
秘书长表示，人文合作是上合组织的重要支柱之一。近年来，成员国在文化、教育、卫生、体育、旅游等领域的交流日益密切，为增进各国人民相互了解和友谊发挥了积极作用。他欢迎代表团在上合组织框架内举办更多展览、演出和青年交流活动。
代表团团长介绍了本国文化遗产保护和文化产业发展情况，表示愿意与上合组织秘书处合作，举办“上合组织文化节”，向各国民众展示丰富多彩的民族文化。双方还讨论了联合出版、影视合作和数字博物馆建设等具体项目。
秘书长指出，各成员国应共同维护地区安全稳定，坚决打击恐怖主义、分裂主义、极端主义、毒品走私和跨国有组织犯罪，为各领域合作创造良好环境。
会见结束时，双方互赠纪念品，并表示将保持密切沟通，推动人文合作取得更多成果。秘书处有关部门负责人参加了会见。代表团还参观了秘书处的展览，了解上合组织成立以来的发展历程和主要成就。
当天下午，代表团与秘书处青年外交官进行了座谈，围绕青年交流、语言学习和志愿服务等话题进行了热烈讨论。双方一致认为，青年是推动各国民心相通的重要力量，应当为青年人提供更多相互交流、共同成长的机会和平台。`,
};

export const SAMPLE_ARTICLES: readonly SampleArticle[] = [en1, en2, en3, ru1, ru2, zh1, zh2];
