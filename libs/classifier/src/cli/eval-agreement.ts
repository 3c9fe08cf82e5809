/**
 * npm run eval:agreement [-- DIR]
 *
 * Agreement between the corpus labels and a second annotator who labelled a sample of dev items
 * blind, by LABELLING.md (corpus/agreement/*.jsonl, or DIR): the same report as eval:classifier,
 * the corpus labels as the reference. The classifier's figures on the same items follow, so the
 * two read side by side: the gap between them is what a better reading could still gain, where
 * the agreement says how far the labels themselves can be trusted.
 *
 * The sample is drawn from the dev part only: a held-out item in it is refused, so that this
 * command never reads the held-out part.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadClassifier } from '../load-classifier';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import type { TopicId } from '@monitor/contracts';
import { readSecondLabels, secondAnnotator } from '../eval/annotator-agreement';
import { evaluateByLanguage } from '../eval/corpus-evaluation';
import { CORPUS_DIR, CorpusError, loadCorpus } from '../eval/labelled-corpus';
import { evaluationTable } from './evaluation-table';

function main(): void {
  const dir = process.argv[2] ?? join(CORPUS_DIR, 'agreement');
  const corpus = loadCorpus();
  const heldout = new Set(corpus.heldout.map((i) => i.id));
  const labels = new Map<string, TopicId[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const [id, topics] of readSecondLabels(join(dir, file), [...corpus.dev, ...corpus.heldout])) {
      if (heldout.has(id)) throw new CorpusError(`${file}: "${id}" is in the held-out part; the agreement sample is drawn from the dev part only`);
      if (labels.has(id)) throw new CorpusError(`${file}: "${id}" is labelled in another file too`);
      labels.set(id, topics);
    }
  }
  if (labels.size === 0) throw new CorpusError(`${dir}: no second labels (*.jsonl, one {"id","topics"} per line)`);
  const sample = corpus.dev.filter((i) => labels.has(i.id));
  const classifier = loadClassifier(DEFAULT_TAXONOMY_PATH);
  const out = [
    `${sample.length} dev items labelled a second time, blind (${dir}); reference: the corpus labels`,
    '',
    ...evaluationTable('second annotator', evaluateByLanguage(secondAnnotator(sample, labels), sample)),
    '',
    ...evaluationTable(`classifier, rules alone (taxonomy ${classifier.taxonomyVersion}, tuned on these dev items among others)`, evaluateByLanguage(classifier, sample)),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
