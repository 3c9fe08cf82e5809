/**
 * The baseline the bench compares against: what a keyword alert usually does — one regular
 * expression per taxonomy term, run in turn over the lower-cased title and text.
 */
import type { Taxonomy } from '../taxonomy-schema';
import { TERM_LANGUAGES } from '../taxonomy-schema';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class NaiveBaseline {
  private readonly patterns: { topic: number; weight: number; re: RegExp }[] = [];

  constructor(private readonly taxonomy: Taxonomy) {
    taxonomy.topics.forEach((topic, t) =>
      topic.terms.forEach((g) => {
        for (const lang of TERM_LANGUAGES) {
          for (const written of g[lang] ?? []) {
            const prefix = written.endsWith('*');
            const body = escape((prefix ? written.slice(0, -1) : written).toLowerCase());
            const source = lang === 'zh' ? body : `(?<![\\p{L}\\p{N}])${body}${prefix ? '' : '(?![\\p{L}\\p{N}])'}`;
            this.patterns.push({ topic: t, weight: g.weight, re: new RegExp(source, 'gu') });
          }
        }
      }),
    );
  }

  get patternCount(): number {
    return this.patterns.length;
  }

  /** Topic ids whose summed term weights reach the threshold. */
  classify(title: string, text: string): string[] {
    const haystack = `${title}\n${text}`.toLowerCase();
    const scores = new Float64Array(this.taxonomy.topics.length);
    for (const p of this.patterns) {
      p.re.lastIndex = 0;
      const found = haystack.match(p.re);
      if (found) scores[p.topic] += p.weight * found.length;
    }
    return this.taxonomy.topics.filter((t, i) => scores[i] >= t.threshold).map((t) => t.id);
  }
}
