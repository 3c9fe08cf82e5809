/**
 * Sample announcements for the classifier bench, written for this project (not taken from any
 * source): the length (~2,000 characters each, Chinese included) and the register of SCO and
 * UNODC news in English, Russian and Chinese, with and without drug-control content.
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
Участники также договорились подготовить совместный аналитический обзор наркоситуации в регионе, провести семинар для сотрудников пограничных и таможенных служб по выявлению тайников в транспортных средствах и организовать стажировки кинологов.
В ходе встречи стороны уделили внимание незаконному обороту синтетических наркотиков через интернет-магазины и мессенджеры, а также использованию криптовалют для расчётов между продавцами и покупателями. Эксперты рекомендовали создать рабочую группу по мониторингу теневых площадок и обмену сведениями о подозрительных транзакциях. Представитель Управления ООН по наркотикам и преступности рассказал о программе помощи странам Центральной Азии в укреплении пограничного контроля и оснащении лабораторий судебной экспертизы.`,
};

const ru2: SampleArticle = {
  title: 'Генеральный секретарь ШОС принял участие в форуме по туризму',
  text: `Генеральный секретарь ШОС принял участие в международном форуме по развитию туризма, который прошёл в одном из древних городов региона. В работе форума приняли участие министры туризма государств-членов, представители туроператоров, авиакомпаний и гостиничного бизнеса.
Выступая на пленарном заседании, Генеральный секретарь отметил, что туризм является одной из наиболее динамично развивающихся отраслей экономики стран ШОС. По его словам, в прошлом году число взаимных поездок граждан выросло почти на треть, а новые авиарейсы связали десятки городов.
Участники обсудили упрощение визовых процедур, создание единых туристических маршрутов по Великому шёлковому пути, развитие экологического и гастрономического туризма, а также подготовку кадров для отрасли. Особое внимание было уделено цифровым сервисам для путешественников.
В рамках форума состоялась выставка, на которой регионы представили свои туристические возможности, народные промыслы и национальную кухню. Гостям показали концертную программу с участием творческих коллективов.
Генеральный секретарь подчеркнул, что безопасность туристов, в том числе противодействие терроризму, экстремизму, незаконному обороту наркотиков и организованной преступности, остаётся важной задачей для всех государств-членов.
По итогам форума принята декларация о дальнейшем развитии сотрудничества в сфере туризма.
Следующий форум решено провести через два года в другом государстве-члене. Организаторы предложили учредить премию за лучшие проекты в области культурного туризма и создать единый электронный календарь событий, фестивалей и выставок стран организации, доступный на нескольких языках.
На полях форума прошли круглые столы, посвящённые развитию гастрономического, экологического и паломнического туризма, подготовке гидов-переводчиков и цифровизации туристических услуг. Представители авиакомпаний и железных дорог рассказали о новых прямых рейсах и поездах между столицами и крупными историческими городами. Молодые предприниматели представили проекты гостевых домов в горных районах, ремесленных мастерских и этнографических деревень, а участники конкурса фотографов показали снимки природных заповедников и памятников архитектуры.`,
};

const zh1: SampleArticle = {
  title: '上合组织成员国禁毒部门领导人会议在京举行',
  text: `日前，上海合作组织成员国禁毒部门领导人会议在北京举行。各成员国代表团团长出席会议，就地区毒品形势、禁毒合作成果以及下一阶段重点工作深入交换意见。
会议指出，当前阿富汗毒品问题依然严峻，鸦片和海洛因经中亚向外贩运的威胁没有减弱。与此同时，合成毒品和新精神活性物质快速蔓延，利用互联网贩毒、通过快递寄递渠道运输毒品的案件明显增多，给各国禁毒执法工作带来新的挑战。
各方介绍了过去一年开展联合缉毒行动的情况。据统计，成员国执法部门共破获毒品案件数万起，缴获各类毒品数十吨，捣毁制毒窝点多处，查获易制毒化学品一批，有力打击了跨国贩毒团伙。
会议强调，将继续落实《上合组织成员国禁毒战略》及其落实行动计划，加强情报交流、联合侦查和易制毒化学品管控合作，深化与联合国毒品和犯罪问题办公室等国际组织的合作，坚定维护三大禁毒公约确立的国际禁毒体系。
会议还讨论了毒品预防教育和戒毒康复工作，各方同意在青少年中广泛开展禁毒宣传，共同营造全社会参与禁毒的良好氛围。
会后，各方签署了会议纪要，并商定下次会议的时间和地点。
会议期间，各代表团还参观了禁毒教育基地和海关查验现场，了解了运用大数据、毒品快速检测设备和缉毒犬开展查缉工作的做法。各方表示，将在人员培训、技术装备和情报研判等方面进一步加强务实合作，共同应对毒品问题带来的新威胁新挑战。
会议听取了成员国主管机关关于本国禁毒工作的通报。有的国家介绍了在边境口岸设立联合检查站、加强对过境货物和旅客查验的经验；有的国家介绍了打击网络贩毒的新做法，包括对暗网交易平台、社交媒体和即时通讯工具中涉毒信息的监测，以及对利用虚拟货币结算毒资行为的调查。与会代表认为，贩毒集团的作案手段不断翻新，跨境物流和寄递渠道已成为毒品运输的重要途径，必须加强寄递物流企业的实名登记和开箱验视制度，堵塞毒品流通的漏洞。
在易制毒化学品管控方面，各方同意扩大可疑交易信息的通报范围，加强对醋酸酐、麻黄碱等前体化学品进出口的监管，防止其流入非法渠道用于制造海洛因和冰毒。会议决定，由成员国专家共同编写易制毒化学品识别手册，供海关、边防和警务人员在一线查缉工作中使用。
在减少毒品需求方面，与会者介绍了社区戒毒、强制隔离戒毒和戒毒康复相结合的工作模式，以及对吸毒人员开展心理干预、职业培训和就业帮扶的做法。各方表示，要坚持预防为主、综合治理的方针，把禁毒教育纳入学校课程，利用新媒体面向青少年开展形式多样的宣传活动，提高全社会识毒、防毒、拒毒的意识和能力。
联合国毒品和犯罪问题办公室代表在发言中介绍了最新发布的《世界毒品报告》的主要结论，指出全球毒品产量和吸毒人数仍在增加，阿富汗罂粟种植面积的变化对周边地区毒品形势有直接影响。该代表表示，愿继续在培训、技术援助和研究分析等方面为上合组织成员国提供支持，共同维护以三项国际禁毒公约为基石的国际禁毒体系。
会议最后通过了联合声明，表示成员国将秉持“上海精神”，在相互尊重、平等互利的基础上深化禁毒合作，定期举行联合行动，完善执法联络官机制，推动建立毒品问题信息共享平台，为维护地区安全稳定和各国人民健康福祉作出新的贡献。
会前，成员国禁毒部门专家举行了工作组会议，对过去一年联合行动中查获的毒品样本进行了比对分析，交流了毒品来源追溯、毒品成分检验和新型毒品识别的技术方法。专家们认为，芬太尼类物质、合成大麻素和卡西酮类物质等新精神活性物质在部分国家呈上升趋势，其化学结构变化快、隐蔽性强，给执法和检测工作带来很大困难。工作组建议建立成员国新精神活性物质预警机制，及时通报新发现的物质名称、结构和危害，并推动各国尽快将其列入管制目录。
与会代表还就加强禁毒执法能力建设交换了意见。各方同意继续举办面向成员国缉毒警察、海关关员和边防人员的培训班，内容涵盖毒品案件侦查、金融调查、控制下交付、电子数据取证和国际司法协助等。部分国家表示愿意提供培训场地和教员，并向有需要的国家捐赠毒品检测仪器、搜查设备和缉毒犬。
在禁毒国际合作方面，会议认为，毒品问题是全球性问题，任何国家都无法单独应对。成员国将加强在联合国麻醉药品委员会等多边平台上的协调，共同反对毒品合法化的错误倾向，支持联合国在国际禁毒事务中发挥核心作用，并愿与观察员国、对话伙伴以及其他国际和地区组织开展务实合作，形成打击毒品犯罪的合力。
会议期间，东道国还组织各代表团观摩了一场跨部门联合演练。演练模拟了一起通过国际货运集装箱走私海洛因和易制毒化学品的案件，公安、海关和边防部门在情报共享、风险布控、开箱查验、抓捕嫌疑人和追缴毒资等环节密切配合。与会代表对演练给予高度评价，认为这种实战化的合作方式值得在成员国之间推广，并建议今后轮流举办类似演练。`,
};

const zh2: SampleArticle = {
  title: '上合组织秘书长会见来访的文化代表团',
  text: `近日，上海合作组织秘书长在秘书处会见了来访的文化代表团，双方就加强人文交流、推动文化旅游合作等议题交换了意见。
秘书长表示，人文合作是上合组织的重要支柱之一。近年来，成员国在文化、教育、卫生、体育、旅游等领域的交流日益密切，为增进各国人民相互了解和友谊发挥了积极作用。他欢迎代表团在上合组织框架内举办更多展览、演出和青年交流活动。
代表团团长介绍了本国文化遗产保护和文化产业发展情况，表示愿意与上合组织秘书处合作，举办“上合组织文化节”，向各国民众展示丰富多彩的民族文化。双方还讨论了联合出版、影视合作和数字博物馆建设等具体项目。
秘书长指出，各成员国应共同维护地区安全稳定，坚决打击恐怖主义、分裂主义、极端主义、毒品走私和跨国有组织犯罪，为各领域合作创造良好环境。
会见结束时，双方互赠纪念品，并表示将保持密切沟通，推动人文合作取得更多成果。秘书处有关部门负责人参加了会见。代表团还参观了秘书处的展览，了解上合组织成立以来的发展历程和主要成就。
当天下午，代表团与秘书处青年外交官进行了座谈，围绕青年交流、语言学习和志愿服务等话题进行了热烈讨论。双方一致认为，青年是推动各国民心相通的重要力量，应当为青年人提供更多相互交流、共同成长的机会和平台。
秘书长介绍说，秘书处近年来先后举办了多场文化展览、摄影比赛和青年艺术节，邀请各成员国的艺术家、作家和手工艺人参加，展示了丝绸之路沿线丰富多彩的历史文化。许多活动通过网络直播吸引了大量观众，成为各国民众了解彼此文化的重要窗口。秘书处还与各国博物馆和图书馆合作，筹备出版介绍成员国世界文化遗产的画册，并计划推出多语种的网上展览。
代表团成员表示，本国正在实施传统手工艺振兴计划，鼓励年轻人学习刺绣、陶艺、木雕和民族乐器制作等技艺，并通过文化旅游线路把古城、村落和博物馆连接起来。他们希望借助上合组织平台，与其他成员国开展非物质文化遗产保护经验交流，联合举办传统音乐会和民族服饰展，推动文化创意产品走出国门。
双方还探讨了在电影、电视和出版领域开展合作的可能性。代表团建议举办成员国电影周，互译优秀文学作品，并支持各国电视台合作拍摄反映各国自然风光和风土人情的纪录片。秘书长对此表示赞赏，并表示秘书处愿意为相关项目牵线搭桥，协助组织专家研讨和联合创作。
在谈到体育和旅游合作时，双方认为，近年来成员国之间的旅游人数稳步增长，直航航线不断增加，签证手续逐步简化，为人员往来创造了便利条件。双方同意共同推广以古代商路为主题的旅游线路，举办马拉松、登山和传统体育项目比赛，吸引更多游客参与。
秘书长最后表示，秘书处将继续支持各成员国在文化、教育和旅游领域的合作，鼓励高校之间开展学生交换和联合培养项目，设立更多奖学金名额，使更多青年有机会到其他成员国学习和生活，亲身感受各国文化的魅力，为上合组织大家庭的友好事业培养新一代的传承者。
会见中，双方还就加强媒体和智库交流进行了沟通。代表团表示，本国主要媒体愿与其他成员国媒体互派记者、联合采访，讲好各国人民友好交往的故事；本国高校和研究机构也希望与秘书处合作举办学术论坛，围绕丝路文化、城市发展、乡村振兴和文明互鉴等议题开展联合研究，为各国政府制定文化政策提供参考。
秘书长对代表团的建议表示欢迎，并介绍了秘书处即将举办的几项重要活动，包括成员国民间艺术节、青年创新创业大赛、妇女论坛和传统医学研讨会等。他邀请代表团积极参与，并推荐本国优秀的艺术团体、青年代表和专家学者报名参加，共同把这些活动办成增进友谊、促进合作的盛会。
代表团团长表示，此次访问收获很大，加深了对上合组织宗旨和各领域合作成果的了解。回国后，代表团将向本国文化主管部门详细通报会谈情况，推动落实双方商定的合作项目，争取在明年举办首届文化节，邀请各成员国的艺术团、手工艺人和美食厨师同台展示，让更多民众感受到丝绸之路沿线各国文化的独特魅力。
访问期间，代表团还参观了当地的博物馆、剧院和传统手工艺作坊，观看了民族歌舞表演，品尝了地方特色美食，并与当地艺术家、手工艺人和文化志愿者进行了面对面的交流，互相赠送了书籍、乐器和手工艺品。
秘书处有关部门表示，将把此次会见达成的共识纳入明年的人文合作工作计划，并与成员国文化部长会议机制保持沟通，争取在资金、场地和宣传等方面为相关项目提供支持。双方商定建立工作联系机制，由专人负责跟进落实，定期交流进展情况，确保各项合作设想早日变为现实，惠及各国民众，特别是青年一代和偏远地区的居民。`,
};

export const SAMPLE_ARTICLES: readonly SampleArticle[] = [en1, en2, en3, ru1, ru2, zh1, zh2];
