/**
 * npm run bench:second-look [-- --articles N] [--threads T]
 *
 * What the second look costs: the corpus's first N dev articles (default 300, in its three
 * languages) classified by the rules alone (the baseline) and by the rules with the second look,
 * in batches of 32 as the classifier stage sees them, with the real embedder and no cache. Prints
 * articles per second of both, how many articles the look embedded (all of them when the model
 * finds unseen topics, else only those with a topic assigned or half-seen), and how many sentences
 * it embedded for the evidence of topics it found. Needs `npm run encoder:install`.
 */
import { loadCorpus } from '../eval/labelled-corpus';
import { loadDefaultClassifier } from '../load-classifier';
import { startSecondLook } from '../second-look-loader';

const args = process.argv.slice(2);
const number = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  const n = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};

async function main(): Promise<void> {
  const count = number('--articles', 300);
  const threads = args.includes('--threads') ? number('--threads', 1) : undefined;
  const articles = loadCorpus().dev.slice(0, count).map((a) => ({ title: a.title, text: a.text, lang: a.lang }));
  const classifier = loadDefaultClassifier({ secondOpinion: false });
  const look = await startSecondLook({ threads });
  // reviseAll embeds the articles in its first request and the sentences of articles with a found
  // topic in a second one: the counter tells them apart by the order within each batch.
  let embedded = 0;
  let sentences = 0;
  let callsInBatch = 0;
  const embedder = look.embedder;
  const countingEmbed = embedder.embed.bind(embedder);
  embedder.embed = async (texts) => {
    if (callsInBatch++ === 0) embedded += texts.length;
    else sentences += texts.length;
    return countingEmbed(texts);
  };
  try {
    let start = performance.now();
    const rules = articles.map((a) => classifier.classify(a));
    const rulesSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    let added = 0;
    let found = 0;
    let dropped = 0;
    for (let i = 0; i < articles.length; i += 32) {
      const batch = articles.slice(i, i + 32);
      callsInBatch = 0;
      const revised = await look.reviseAll(classifier, batch, batch.map((a) => classifier.classify(a)));
      revised.forEach((r, k) => {
        const before = new Set(rules[i + k].topics.map((t) => t.id));
        const after = new Set(r.topics.map((t) => t.id));
        for (const t of r.topics) {
          if (before.has(t.id)) continue;
          if (t.score === 0) found++;
          else added++;
        }
        dropped += [...before].filter((id) => !after.has(id)).length;
      });
    }
    const lookSeconds = (performance.now() - start) / 1000;
    const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en')} articles/s`;
    process.stdout.write(
      [
        `second look: ${look.note}; ${articles.length} dev articles, engine threads ${threads ?? 'all cores'}`,
        `rules alone (baseline)      ${rate(articles.length, rulesSeconds).padStart(22)}`,
        `rules with the second look  ${rate(articles.length, lookSeconds).padStart(22)}   (${(rulesSeconds / lookSeconds).toFixed(4)}× the baseline)`,
        `embedded: ${embedded} of ${articles.length} articles (${((100 * embedded) / articles.length).toFixed(0)}%), and ${sentences} sentences for the evidence of found topics; topics added ${added}, found ${found}, dropped ${dropped}`,
      ].join('\n') + '\n',
    );
  } finally {
    await embedder.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
