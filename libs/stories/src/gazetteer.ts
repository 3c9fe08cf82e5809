/**
 * The gazetteer (gazetteer/gazetteer.yaml): places, bodies, operations and recurring events, named
 * in English, Russian and Chinese. A mention of one is evidence that does not depend on the
 * article's language, which is what lets a Russian and a Chinese report of one event meet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { phraseTerms } from '@monitor/text';

const names = z.array(z.string().trim().min(1)).min(1);
const EntitySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case words joined by "-"'),
  kind: z.enum(['country', 'city', 'region', 'body', 'operation', 'event']),
  /**
   * Named by much of any drug-control stream (the SCO, Afghanistan): says who reports, not which
   * event, so alone it joins two articles only where they say little else that differs, however few
   * articles the window holds yet (StoryTuning.commonAnchorSimilarity).
   */
  common: z.boolean().optional(),
  en: names,
  ru: names,
  zh: names,
});
const GazetteerSchema = z.strictObject({ entities: z.array(EntitySchema).min(1) });
export type GazetteerEntity = z.infer<typeof EntitySchema>;

export const DEFAULT_GAZETTEER_PATH = join(__dirname, '..', 'gazetteer', 'gazetteer.yaml');

export class GazetteerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GazetteerError';
  }
}

export function loadGazetteer(path = DEFAULT_GAZETTEER_PATH): GazetteerEntity[] {
  const parsed = GazetteerSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GazetteerError(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const entity of parsed.data.entities) {
    if (seen.has(entity.id)) throw new GazetteerError(`${path}: entity id "${entity.id}" is used twice`);
    seen.add(entity.id);
  }
  return parsed.data.entities;
}

interface NamePattern {
  terms: string[];
  entity: string;
}

/**
 * Finds gazetteer entities in a text. Names and text go through the one analysis of libs/text
 * (folding, Russian stems, Chinese bigrams, traditional as simplified), so "Душанбе" finds
 * "в Душанбе" and 杜尚別 finds 杜尚别; a name matches where its terms stand in a row.
 */
export class EntityFinder {
  private readonly byFirstTerm = new Map<string, NamePattern[]>();
  private readonly common = new Set<string>();
  private readonly places = new Set<string>();

  constructor(entities: GazetteerEntity[]) {
    for (const entity of entities) {
      if (entity.common) this.common.add(entity.id);
      if (entity.kind === 'city' || entity.kind === 'region' || entity.kind === 'country') this.places.add(entity.id);
      for (const name of [...entity.en, ...entity.ru, ...entity.zh]) {
        const terms = phraseTerms(name);
        if (terms.length === 0) continue;
        const list = this.byFirstTerm.get(terms[0]) ?? [];
        list.push({ terms, entity: entity.id });
        this.byFirstTerm.set(terms[0], list);
      }
    }
  }

  /** Whether the gazetteer marks the entity `common`: named by much of any drug-control window. */
  isCommon(id: string): boolean {
    return this.common.has(id);
  }

  /** Whether the entity is a place: a country, a region or a city. */
  isPlace(id: string): boolean {
    return this.places.has(id);
  }

  /**
   * The ids of the entities a text names; `terms` is the text's phraseTerms when already at hand.
   * The longest name wins where names overlap, and the words it covers name nothing else: "Shanghai
   * Cooperation Organisation" (上海合作组织) is the SCO, not a mention of the city of Shanghai.
   */
  find(text: string, terms = phraseTerms(text)): Set<string> {
    const found = new Set<string>();
    for (let i = 0; i < terms.length; i++) {
      const patterns = this.byFirstTerm.get(terms[i]);
      if (!patterns) continue;
      let longest: NamePattern | undefined;
      for (const pattern of patterns) {
        if (longest && pattern.terms.length <= longest.terms.length) continue;
        let k = 1;
        while (k < pattern.terms.length && terms[i + k] === pattern.terms[k]) k++;
        if (k === pattern.terms.length) longest = pattern;
      }
      if (!longest) continue;
      found.add(longest.entity);
      i += longest.terms.length - 1;
    }
    return found;
  }
}
