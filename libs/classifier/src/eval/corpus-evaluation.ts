/**
 * The classifier measured on its corpus: each part (dev, held-out) as a whole and per language
 * group, and the held-out figures recorded as the floor the regression guard holds them to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, type ArticleReader, type Evaluation, type LabelledArticle } from './classifier-evaluation';
import { CORPUS_DIR, LANGUAGE_GROUPS, type LanguageGroup } from './labelled-corpus';

export type GroupedEvaluation = Record<'all' | LanguageGroup, Evaluation>;

/** `lang` of each article, or the language the classifier detects when the file does not say. */
export function evaluateByLanguage(classifier: ArticleReader, articles: LabelledArticle[]): GroupedEvaluation {
  const groupOf = (a: LabelledArticle): string => a.lang ?? classifier.classify({ title: a.title, text: a.text }).language;
  const grouped = { all: evaluate(classifier, articles) } as GroupedEvaluation;
  for (const group of LANGUAGE_GROUPS) grouped[group] = evaluate(classifier, articles.filter((a) => groupOf(a) === group));
  return grouped;
}

export interface HeldoutBaseline {
  /** When the figures were recorded, and on which taxonomy. */
  recordedAt: string;
  taxonomyVersion: string;
  macroF1: Record<'all' | LanguageGroup, number>;
}

export const BASELINE_FILE = join(CORPUS_DIR, 'heldout-baseline.json');
/** The floor of the rules with the second look (tests/second-look-regression.test.ts). */
export const SECOND_LOOK_BASELINE_FILE = join(CORPUS_DIR, 'heldout-baseline-second-look.json');
/** How far a held-out macro-F1 may fall below its recorded figure before the guard fails. */
export const ALLOWED_DROP = 0.02;

export function readBaseline(file = BASELINE_FILE): HeldoutBaseline {
  return JSON.parse(readFileSync(file, 'utf8')) as HeldoutBaseline;
}

export function recordBaseline(heldout: GroupedEvaluation, taxonomyVersion: string, file = BASELINE_FILE): HeldoutBaseline {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const baseline: HeldoutBaseline = {
    recordedAt: new Date().toISOString().slice(0, 10),
    taxonomyVersion,
    macroF1: { all: round(heldout.all.macroF1), en: round(heldout.en.macroF1), ru: round(heldout.ru.macroF1), zh: round(heldout.zh.macroF1) },
  };
  writeFileSync(file, JSON.stringify(baseline, null, 2) + '\n');
  return baseline;
}

/** The groups whose held-out macro-F1 fell more than ALLOWED_DROP below the baseline, as sentences. */
export function regressions(heldout: GroupedEvaluation, baseline: HeldoutBaseline): string[] {
  const found: string[] = [];
  for (const group of ['all', ...LANGUAGE_GROUPS] as const) {
    const now = heldout[group].macroF1;
    const then = baseline.macroF1[group];
    if (now < then - ALLOWED_DROP - 1e-9) found.push(`${group}: held-out macro-F1 ${now.toFixed(3)} is more than ${ALLOWED_DROP} below the ${then.toFixed(3)} recorded on ${baseline.recordedAt}`);
  }
  return found;
}
