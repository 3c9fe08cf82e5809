/**
 * The topic ids are a contract shared by subscriptions, the search index, the event schemas and
 * labelled evaluation data. They come from the SCO statement to the 63rd session of the UN
 * Commission on Narcotic Drugs. Changing an id is a breaking change for every subscriber.
 */
export const TOPIC_IDS = [
  'afghanistan-opiates',
  'golden-triangle',
  'new-psychoactive-substances',
  'online-drug-markets',
  'narcoterrorism',
  'cannabis-legalisation',
  'drug-control-conventions',
  'precursors',
  'counter-narcotics-operations',
  'drug-use-health',
  'anti-drug-cooperation',
] as const;

export type TopicId = (typeof TOPIC_IDS)[number];

export interface TopicDefinition {
  id: TopicId;
  label: string;
  description: string;
}

export const TOPICS: readonly TopicDefinition[] = [
  {
    id: 'afghanistan-opiates',
    label: 'Afghanistan and opiates',
    description:
      'Opium and heroin production and trafficking linked to Afghanistan: cultivation, routes, the SCO-Afghanistan Contact Group, the Paris Pact.',
  },
  {
    id: 'golden-triangle',
    label: 'Golden Triangle',
    description:
      'Drug production and trafficking in the Golden Triangle and the Mekong region: Myanmar, Lao PDR, Thailand and neighbours.',
  },
  {
    id: 'new-psychoactive-substances',
    label: 'New psychoactive substances',
    description:
      'New psychoactive substances and synthetic drugs: synthetic opioids, synthetic cannabinoids, methamphetamine as a synthetic-drug trend, early warning, scheduling of NPS.',
  },
  {
    id: 'online-drug-markets',
    label: 'Online drug markets',
    description: 'Drug sales and promotion over the Internet: dark net, cryptomarkets, social media, crypto payments.',
  },
  {
    id: 'narcoterrorism',
    label: 'Narcoterrorism',
    description: 'Links between drug trafficking and terrorism or extremism, such as drug proceeds financing terrorism.',
  },
  {
    id: 'cannabis-legalisation',
    label: 'Cannabis legalisation',
    description: 'Legalisation or regulation of cannabis for non-medical use, and the debate about it.',
  },
  {
    id: 'drug-control-conventions',
    label: 'Drug control conventions',
    description:
      'The 1961, 1971 and 1988 UN conventions and the international drug control system: CND, INCB, scheduling, medical use of controlled substances.',
  },
  {
    id: 'precursors',
    label: 'Precursors',
    description: 'Control, diversion and trafficking of precursor chemicals used to make drugs.',
  },
  {
    id: 'counter-narcotics-operations',
    label: 'Counter-narcotics operations',
    description: 'Law-enforcement action against drug trafficking: joint operations, seizures, interdiction, border and customs control.',
  },
  {
    id: 'drug-use-health',
    label: 'Drug use and health',
    description: 'Prevalence, prevention, treatment, rehabilitation, harm reduction, HIV among people who use drugs, awareness days.',
  },
  {
    id: 'anti-drug-cooperation',
    label: 'Anti-drug cooperation',
    description:
      'Inter-state, regional and global cooperation against drugs: the SCO Anti-Drug Strategy, SCO-UNODC cooperation, meetings of heads of drug-control agencies, MoUs.',
  },
];

export function isTopicId(value: string): value is TopicId {
  return (TOPIC_IDS as readonly string[]).includes(value);
}
