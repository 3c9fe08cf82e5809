/**
 * npm run eval:first-readings [-- --json] [--second-look] [--sweep]
 *
 * Each dev item of the corpus scored with the taxonomy as it stood just before the item was
 * committed (eval/first-readings.ts): per batch, then pooled, overall and per language group,
 * with per-topic precision and recall pooled over the batches. The held-out part is left out: it
 * is read only by eval:classifier, once per round. Needs the repository's whole git history.
 *
 * `--second-look`: the same first readings with the second look, forward-chained as the rules
 * are: each batch's look is fitted on the dev items of the batches before it only (needs
 * `npm run encoder:install`; vectors kept in tmp/embeddings), so it too reads the batch unseen.
 *
 * `--sweep`: the look's settings (add at, drop below, find at) over a grid, each batch's look fitted once;
 * pooled figures per setting, so that the settings are chosen on sources not met, never on the
 * held-out part; and, last, the shipped settings without the neighbours' vote (the regressions alone).
 */
import { join } from 'node:path';
import { TOPIC_IDS } from '@monitor/contracts';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import { CORPUS_DIR, LANGUAGE_GROUPS, loadCorpus } from '../eval/labelled-corpus';
import { readFirst, type FirstReading } from '../eval/first-readings';
import { figures, type Figures } from '../eval/second-opinion-training';
import { ADD_AT, DROP_BELOW, FIND_AT, fitSecondLook } from '../eval/second-look-training';
import type { CorpusItem } from '../eval/labelled-corpus';
import { SecondLook } from '../second-look';
import { MEASURING_CACHE_DIR, encoderPython, startEmbedder } from '../second-look-loader';

const groups = ['all', ...LANGUAGE_GROUPS] as const;
type Row = Record<(typeof groups)[number], Figures>;

function byLanguage(readings: readonly FirstReading[]): Row {
  const rows = (list: readonly FirstReading[]) => list.map((r) => ({ gold: new Set(r.item.labels), predicted: r.predicted }));
  const out = { all: figures(TOPIC_IDS, rows(readings)) } as Row;
  for (const g of LANGUAGE_GROUPS) out[g] = figures(TOPIC_IDS, rows(readings.filter((r) => r.item.lang === g)));
  return out;
}

const f3 = (x: number): string => x.toFixed(3);
const cell = (f: Figures): string => (f.articles === 0 ? '-'.padEnd(19) : `${f3(f.macroF1)} ${f3(f.microF1)} ${String(f.articles).padStart(4)}`.padEnd(19));

interface LookSetting {
  addAt: number;
  dropBelow: number;
  /** undefined: the look finds no topic the rules found nothing of. */
  findAt: number | undefined;
  /** The regressions alone, without the neighbours' vote. */
  withoutNeighbours?: boolean;
}

/**
 * Each batch's readings revised by a look fitted on the batches before it (batch 1 has none: left
 * as read), once per setting (the model's own when none is given).
 */
async function withSecondLook(readings: FirstReading[], dev: CorpusItem[], settings: readonly (LookSetting | null)[] = [null]): Promise<FirstReading[][]> {
  const python = encoderPython();
  const embedder = await startEmbedder({ python, cacheDir: MEASURING_CACHE_DIR });
  try {
    const batchOfItem = new Map(readings.map((r) => [r.item.id, r.batch]));
    const out: FirstReading[][] = settings.map(() => []);
    for (const batch of [...new Set(readings.map((r) => r.batch))].sort((a, b) => a - b)) {
      const list = readings.filter((r) => r.batch === batch);
      const earlier = dev.filter((i) => (batchOfItem.get(i.id) ?? Infinity) < batch);
      if (batch === 1 || earlier.length === 0) {
        for (const o of out) o.push(...list);
        continue;
      }
      const model = await fitSecondLook(python, embedder, earlier);
      // The rules' reading of each item does not depend on the setting: read once, revised per setting.
      const read = list.map((r) => {
        const input = { title: r.item.title, text: r.item.text };
        return { r, input, rules: r.classifier.classify(input) };
      });
      for (const [k, setting] of settings.entries()) {
        const look = new SecondLook(setting ? { ...model, addAt: setting.addAt, dropBelow: setting.dropBelow, findAt: setting.findAt, ...(setting.withoutNeighbours ? { neighbours: undefined } : {}) } : model, embedder);
        for (const { r, input, rules } of read) {
          const revised = await look.revise(r.classifier, input, rules);
          out[k].push({ ...r, predicted: new Set(revised.topics.map((t) => t.id)) });
        }
      }
      process.stderr.write(`batch ${batch}: look fitted on ${earlier.length} earlier dev items\n`);
    }
    return out;
  } finally {
    await embedder.close();
  }
}

const SWEEP_ADD_AT = [0.5, 0.6, 0.7, 0.8, 0.9];
const SWEEP_DROP_BELOW = [0, 0.05, 0.1, 0.15, 0.2, 0.3];
const SWEEP_FIND_AT = [undefined, 0.95, 0.97, 0.99];

/** Pooled first readings (batches 2 and later) for each setting of the grid. */
async function sweep(readings: FirstReading[], dev: CorpusItem[]): Promise<string[]> {
  const grid: LookSetting[] = SWEEP_FIND_AT.flatMap((findAt) => SWEEP_ADD_AT.flatMap((addAt) => SWEEP_DROP_BELOW.map((dropBelow) => ({ addAt, dropBelow, findAt }))));
  const settings = [...grid, { addAt: ADD_AT, dropBelow: DROP_BELOW, findAt: FIND_AT, withoutNeighbours: true }];
  const revised = await withSecondLook(readings, dev, settings);
  const rows = settings.map((setting, k) => ({ setting, pooled: byLanguage(revised[k].filter((r) => r.batch > 1)) }));
  return [
    'the second look\'s settings on the first readings, pooled over batches 2 and later (each batch\'s look fitted on the batches before it); "alone": the regressions without the neighbours\' vote',
    '',
    `${'add at  drop below  find at'.padEnd(36)}${groups.map((g) => `${g}: macro micro n`.padEnd(19)).join('')}lowest topic precision`,
    ...rows.map(({ setting, pooled }) => {
      const lowest = pooled.all.topics.reduce((a, b) => (b.precision < a.precision ? b : a));
      const named = `${setting.addAt.toFixed(2)}    ${setting.dropBelow.toFixed(2)}        ${setting.findAt?.toFixed(2) ?? '-'}${setting.withoutNeighbours ? ' alone' : ''}`;
      return `${named.padEnd(36)}${groups.map((g) => cell(pooled[g])).join('')}${f3(lowest.precision)} ${lowest.id}`;
    }),
  ];
}

async function main(): Promise<void> {
  const { dev } = loadCorpus();
  const first = readFirst(dev, join(CORPUS_DIR, 'items'), DEFAULT_TAXONOMY_PATH);
  const leftOut = first.leftOut;
  if (process.argv.includes('--sweep')) return void process.stdout.write((await sweep(first.readings, dev)).join('\n') + '\n');
  const secondLook = process.argv.includes('--second-look');
  const readings = secondLook ? (await withSecondLook(first.readings, dev))[0] : first.readings;
  const batches = [...new Set(readings.map((r) => r.batch))].sort((a, b) => a - b);
  const perBatch = batches.map((b) => {
    const list = readings.filter((r) => r.batch === b);
    const versions = [...new Set(list.map((r) => r.taxonomyVersion))];
    return { batch: b, versions, figures: byLanguage(list) };
  });
  // Batch 1 is what the taxonomy was first written from; the pooled figure is over the later ones.
  const pooled = byLanguage(readings.filter((r) => r.batch > 1));
  if (process.argv.includes('--json')) {
    return void process.stdout.write(JSON.stringify({ perBatch, pooledAfterBatch1: pooled, leftOut }, null, 2) + '\n');
  }
  const out = [
    `first readings of the dev part: each item scored by the taxonomy as it stood before the item was committed${secondLook ? ', with a second look fitted on the earlier batches only' : ''} (${readings.length} items; ${leftOut.length} left out)`,
    '',
    `${'batch (taxonomy)'.padEnd(34)}${groups.map((g) => `${g}: macro micro n`.padEnd(19)).join('')}`,
    ...perBatch.map((b) => `${`${b.batch} (${b.versions.join(', ')})`.padEnd(34)}${groups.map((g) => cell(b.figures[g])).join('')}`),
    `${'pooled, batches 2 and later'.padEnd(34)}${groups.map((g) => cell(pooled[g])).join('')}`,
    '',
    `${'topic, pooled (precision recall support)'.padEnd(44)}`,
    ...pooled.all.topics.map((t) => `  ${t.id.padEnd(32)}${f3(t.precision)}  ${f3(t.recall)}  ${String(t.support).padStart(4)}`),
  ];
  const reasons = new Map<string, number>();
  for (const l of leftOut) reasons.set(l.why, (reasons.get(l.why) ?? 0) + 1);
  if (reasons.size) out.push('', 'left out:', ...[...reasons].map(([why, n]) => `  ${n} item(s): ${why}`));
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
