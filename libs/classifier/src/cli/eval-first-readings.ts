/**
 * npm run eval:first-readings [-- --json]
 *
 * Each dev item of the corpus scored with the taxonomy as it stood just before the item was
 * committed (eval/first-readings.ts): per batch, then pooled, overall and per language group,
 * with per-topic precision and recall pooled over the batches. The held-out part is left out: it
 * is read only by eval:classifier, once per round. Needs the repository's whole git history.
 */
import { join } from 'node:path';
import { TOPIC_IDS } from '@monitor/contracts';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import { CORPUS_DIR, LANGUAGE_GROUPS, loadCorpus } from '../eval/labelled-corpus';
import { readFirst, type FirstReading } from '../eval/first-readings';
import { figures, type Figures } from '../eval/second-opinion-training';

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

function main(): void {
  const { dev } = loadCorpus();
  const { readings, leftOut } = readFirst(dev, join(CORPUS_DIR, 'items'), DEFAULT_TAXONOMY_PATH);
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
    `first readings of the dev part: each item scored by the taxonomy as it stood before the item was committed (${readings.length} items; ${leftOut.length} left out)`,
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

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
