/**
 * npm run train:classifier [-- --cv] [--folds K] [--seed N] [--taxonomy PATH] [--out PATH]
 *
 * Trains the learned second opinion (second-opinion.ts) on the DEV part of the corpus only and
 * writes it beside the taxonomy (taxonomy/second-opinion.json, or --out), stamped with the
 * taxonomy version it was trained on: the classifier ignores it, with a warning, once the
 * taxonomy changes, until this command is run again.
 *
 * `--cv` trains nothing to disk: grouped k-fold cross-validation on the dev part (folds of whole
 * source|year groups), rules alone against rules plus the model, per language group and per
 * topic. The held-out part is neither read for training nor measured here.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SECOND_OPINION_FILE, loadClassifier } from '../load-classifier';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import { loadCorpus, LANGUAGE_GROUPS } from '../eval/labelled-corpus';
import { DEFAULT_TRAINING, crossValidate, readExamples, trainModel, type ByGroup, type TrainingOptions } from '../eval/second-opinion-training';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
};
const integer = (name: string, fallback: number, min: number): number => {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return n;
};

const f3 = (x: number): string => x.toFixed(3);
const delta = (a: number, b: number): string => `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(3)}`;

function comparison(rules: ByGroup, combined: ByGroup): string[] {
  const groups = ['all', ...LANGUAGE_GROUPS] as const;
  const out = [`${''.padEnd(22)}${groups.map((g) => `${g} (${rules[g].articles})`.padEnd(26)).join('')}`];
  out.push(`${'macro F1 rules→+model'.padEnd(22)}${groups.map((g) => `${f3(rules[g].macroF1)} → ${f3(combined[g].macroF1)} ${delta(rules[g].macroF1, combined[g].macroF1)}`.padEnd(26)).join('')}`);
  out.push(`${'micro F1 rules→+model'.padEnd(22)}${groups.map((g) => `${f3(rules[g].microF1)} → ${f3(combined[g].microF1)} ${delta(rules[g].microF1, combined[g].microF1)}`.padEnd(26)).join('')}`);
  out.push('', `${'topic (all languages)'.padEnd(30)}${'support'.padStart(8)}   ${'precision rules → +model'.padEnd(28)}${'recall rules → +model'.padEnd(28)}F1 rules → +model`);
  rules.all.topics.forEach((r, i) => {
    const c = combined.all.topics[i];
    out.push(
      `${r.id.padEnd(30)}${String(r.support).padStart(8)}   ${`${f3(r.precision)} → ${f3(c.precision)} ${delta(r.precision, c.precision)}`.padEnd(28)}${`${f3(r.recall)} → ${f3(c.recall)} ${delta(r.recall, c.recall)}`.padEnd(28)}${f3(r.f1)} → ${f3(c.f1)}`,
    );
  });
  return out;
}

function main(): void {
  const taxonomyPath = option('--taxonomy') ?? DEFAULT_TAXONOMY_PATH;
  // Rules alone: the examples are what the rule pass sees, whatever model lies beside the taxonomy.
  const classifier = loadClassifier(taxonomyPath, { secondOpinion: false });
  const options: TrainingOptions = { ...DEFAULT_TRAINING, seed: integer('--seed', DEFAULT_TRAINING.seed, 0) };
  // Only the dev part is taken from the corpus: the held-out part is never trained or measured on here.
  const { dev } = loadCorpus();
  const examples = readExamples(classifier, dev, options.ngrams);
  const out: string[] = [`taxonomy ${classifier.taxonomyVersion} (${taxonomyPath}); dev part: ${dev.length} articles; seed ${options.seed}`];

  if (args.includes('--cv')) {
    const folds = integer('--folds', 5, 2);
    const grid = [0.4, 0.5, 0.6, 0.7].flatMap((addAt) => [0, 0.05, 0.1].map((dropBelow) => ({ addAt, dropBelow })));
    const cv = crossValidate(examples, classifier.taxonomy, folds, options, grid);
    out.push(
      `grouped ${folds}-fold cross-validation on the dev part (folds of whole language|source|year groups: ${cv.foldSizes.join(', ')} articles)`,
      `the model at addAt ${options.addAt}, dropBelow ${options.dropBelow}, through the classifier:`,
      '',
      ...comparison(cv.rules, cv.combined),
      '',
      `topics the model added: ${cv.changes.added} (${cv.changes.addedRight} right); dropped: ${cv.changes.dropped} (${cv.changes.droppedRight} right)`,
      cv.disagreements.length ? `WARNING: classifier and signals disagree on ${cv.disagreements.join(', ')}` : 'classifier and the decision from the signals agree on every article',
      '',
      'other thresholds (same fold models; chosen here, they would be tuned on these folds, so read them as a sensitivity check):',
      `${'addAt dropBelow'.padEnd(18)}${['all', ...LANGUAGE_GROUPS].map((g) => `${g} macro F1`.padEnd(16)).join('')}min topic precision`,
      ...cv.thresholds.map((t) => {
        const r = t.result;
        const minP = Math.min(...r.all.topics.filter((x) => x.tp + x.fp > 0).map((x) => x.precision));
        return `${`${t.addAt}  ${t.dropBelow}`.padEnd(18)}${(['all', ...LANGUAGE_GROUPS] as const).map((g) => f3(r[g].macroF1).padEnd(16)).join('')}${f3(minP)}`;
      }),
    );
    return void process.stdout.write(out.join('\n') + '\n');
  }

  const model = trainModel(examples, classifier.taxonomy, options);
  const file = option('--out') ?? join(dirname(taxonomyPath), SECOND_OPINION_FILE);
  writeFileSync(file, JSON.stringify(model) + '\n');
  const withText = Object.entries(model.text).map(([id, w]) => `${id} (${w.positives})`);
  out.push(
    `wrote ${file}`,
    `text models (right answers in training): ${withText.join(', ')}`,
    `combiners: add ${model.add.positives} right of ${model.add.examples} under-threshold candidates; keep ${model.keep.positives} right of ${model.keep.examples} rule-assigned topics`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
