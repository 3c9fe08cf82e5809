/**
 * The shape of a taxonomy file (taxonomy/taxonomy.yaml), validated with zod so that a malformed
 * file fails at load with the field named. See the comments at the top of the shipped file for
 * what each field means to a reviewer.
 */
import { z } from 'zod';
import { TOPIC_IDS } from '@monitor/contracts';

/** Languages a term list may be written in (the six UN languages plus German and Kazakh/Kyrgyz-friendly Cyrillic via `ru`). */
export const TERM_LANGUAGES = ['en', 'ru', 'zh', 'fr', 'es', 'ar', 'de'] as const;
export type TermLanguage = (typeof TERM_LANGUAGES)[number];

const termList = z.array(z.string().trim().min(1, 'a term must not be empty')).min(1, 'list at least one term');

const languageLists = {
  en: termList.optional(),
  ru: termList.optional(),
  zh: termList.optional(),
  fr: termList.optional(),
  es: termList.optional(),
  ar: termList.optional(),
  de: termList.optional(),
};

export const TermGroupSchema = z
  .strictObject({
    /**
     * What the terms name, in a few words ("precursor chemicals", "darknet markets"): the unit that
     * must be covered in every language the monitor reads (see taxonomy-languages.spec.ts).
     */
    concept: z.string().trim().min(1).optional(),
    weight: z.number().positive('a weight must be above 0').max(100),
    /** Context rule: the terms count only when a term of one of these anchor sets is near. */
    near: z.array(z.string().min(1)).min(1).optional(),
    /** Distance in characters for `near` (gap between the two terms). */
    within: z.number().int().positive().max(2000).optional(),
    ...languageLists,
  })
  .refine((g) => TERM_LANGUAGES.some((l) => g[l] !== undefined), { message: 'give terms in at least one language' });
export type TermGroup = z.infer<typeof TermGroupSchema>;

export const NegativeGroupSchema = z
  .strictObject({ weight: z.number().positive('a weight must be above 0').max(100), ...languageLists })
  .refine((g) => TERM_LANGUAGES.some((l) => g[l] !== undefined), { message: 'give terms in at least one language' });
export type NegativeGroup = z.infer<typeof NegativeGroupSchema>;

export const TermSetSchema = z
  .strictObject(languageLists)
  .refine((g) => TERM_LANGUAGES.some((l) => g[l] !== undefined), { message: 'give terms in at least one language' });
export type TermSet = z.infer<typeof TermSetSchema>;

export const TopicSchema = z.strictObject({
  id: z.enum(TOPIC_IDS, { message: `a topic id of the contract (${TOPIC_IDS.join(', ')})` }),
  label: z.string().min(1).optional(),
  threshold: z.number().positive('a threshold must be above 0'),
  /** Document gate: the topic needs at least one term of one of these anchor sets outside a threat list. */
  requires: z.array(z.string().min(1)).min(1).optional(),
  terms: z.array(TermGroupSchema).min(1, 'a topic needs at least one term group'),
  negative: z.array(NegativeGroupSchema).optional(),
});
export type TopicRules = z.infer<typeof TopicSchema>;

export const ScoringSchema = z.strictObject({
  titleWeight: z.number().positive(),
  leadWeight: z.number().positive(),
  listWeight: z.number().min(0).max(1),
  listMarkersMin: z.number().int().min(1),
  listSeparatorsMin: z.number().int().min(0),
  repeatDecay: z.number().min(0).max(1),
  defaultWithin: z.number().int().positive(),
  maxEvidence: z.number().int().positive(),
});
export type Scoring = z.infer<typeof ScoringSchema>;

export const TaxonomySchema = z.strictObject({
  version: z.union([z.string().min(1), z.number()]).transform(String),
  scoring: ScoringSchema,
  anchors: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'anchor names are lower-case words'), TermSetSchema).default({}),
  threatList: TermSetSchema.optional(),
  negative: z.array(NegativeGroupSchema).optional(),
  topics: z.array(TopicSchema).min(1),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;
