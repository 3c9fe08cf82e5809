/**
 * npm run eval:classifier [-- FILE] [--errors] [--dev-only] [--record] [--taxonomy PATH] [--json] [--second-look]
 *
 * `--second-look`: the rules with the second look (second-look.ts; needs `npm run encoder:install`),
 * its vectors kept in tmp/embeddings between runs; with `--record` it sets the floor of the rules
 * with the second look (corpus/heldout-baseline-second-look.json), which
 * tests/second-look-regression.test.ts holds.
 *
 * Without FILE: the project's corpus (libs/classifier/corpus), dev and held-out parts reported
 * apart, each overall and per language group (en, ru, zh), with per-topic precision and recall.
 * `--errors` lists the dev part's false positives and negatives with their evidence; the held-out
 * part's are never printed, so that nobody tunes on them. `--dev-only` leaves the held-out part
 * out altogether: what a tuning round runs, so that its figures are not read by the way. `--record` writes the held-out figures
 * to corpus/heldout-baseline.json, the floor of the regression guard (corpus-regression.spec.ts).
 *
 * With FILE: a labelled JSON-lines file ({"id","title","text","lang"?,"topics"|"labels"}), such as
 * a set kept outside the repository, reported the same way, errors included with `--errors`.
 */
import { loadClassifier } from '../load-classifier';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import type { ArticleReader, Evaluation, LabelledArticle } from '../eval/classifier-evaluation';
import type { TopicClassifier } from '../article-classifier';
import { dropCheckNote, neighboursNote, type SecondLook } from '../second-look';
import { MEASURING_CACHE_DIR, startSecondLook } from '../second-look-loader';
import { readWithSecondLook } from '../eval/second-look-reader';
import { SECOND_LOOK_BASELINE_FILE, evaluateByLanguage, recordBaseline } from '../eval/corpus-evaluation';
import { loadCorpus } from '../eval/labelled-corpus';
import { jsonLines } from './read-json-lines';
import { evaluationTable } from './evaluation-table';

async function readFile(file: string): Promise<LabelledArticle[]> {
  const articles: LabelledArticle[] = [];
  for await (const { line, value, error } of jsonLines(file)) {
    const a = value as Record<string, unknown> | undefined;
    const labels = a?.topics ?? a?.labels;
    if (error || !a || typeof a.title !== 'string' || typeof a.text !== 'string' || !Array.isArray(labels)) {
      process.stderr.write(`line ${line}: skipped: ${error ?? 'needs title, text and topics/labels'}\n`);
      continue;
    }
    articles.push({ id: String(a.id ?? `line-${line}`), title: a.title, text: a.text, lang: typeof a.lang === 'string' ? a.lang : undefined, labels: labels.map(String) });
  }
  return articles;
}

function errors(name: string, result: Evaluation): string[] {
  const out: string[] = [];
  for (const kind of ['false-positive', 'false-negative'] as const) {
    const list = result.misses.filter((m) => m.kind === kind);
    out.push('', `${name} ${kind}s (${list.length}):`);
    for (const m of list) {
      out.push(`  ${m.articleId}  ${m.topic}  score ${m.score}  "${m.title.slice(0, 90)}"`);
      const ev = m.evidence.slice(0, 6).map((e) => `${e.term} [${e.field} ${e.start}-${e.end}] ${e.weight}`);
      out.push(`      ${ev.length ? ev.join('; ') : '(no evidence)'}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const taxonomyAt = args.indexOf('--taxonomy');
  const taxonomy = taxonomyAt >= 0 ? args[taxonomyAt + 1] : DEFAULT_TAXONOMY_PATH;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--taxonomy');
  const classifier = loadClassifier(taxonomy);
  const secondLook = args.includes('--second-look');
  const look = secondLook ? await startSecondLook({ cacheDir: MEASURING_CACHE_DIR }) : null;
  try {
    await report(args, taxonomy, file, classifier, look);
  } finally {
    await look?.embedder.close();
  }
}

async function report(args: string[], taxonomy: string, file: string | undefined, classifier: TopicClassifier, look: SecondLook | null): Promise<void> {
  const out: string[] = [`taxonomy ${classifier.taxonomyVersion} (${taxonomy}); second opinion ${classifier.secondOpinionNote}; second look ${look ? look.note : 'off (--second-look)'}`, ''];
  const reader = async (articles: LabelledArticle[]): Promise<ArticleReader> => (look ? readWithSecondLook(classifier, look, articles) : classifier);
  const evaluateAll = async (articles: LabelledArticle[]) => evaluateByLanguage(await reader(articles), articles);

  if (file) {
    const grouped = await evaluateAll(await readFile(file));
    if (args.includes('--json')) return void process.stdout.write(JSON.stringify(grouped, null, 2) + '\n');
    out.push(...evaluationTable(file, grouped));
    if (args.includes('--errors')) out.push(...errors(file, grouped.all));
  } else {
    const corpus = loadCorpus();
    const dev = await evaluateAll(corpus.dev);
    if (args.includes('--dev-only')) {
      if (args.includes('--record')) throw new Error('--record reads the held-out part: it cannot go with --dev-only');
      if (args.includes('--json')) return void process.stdout.write(JSON.stringify({ dev }, null, 2) + '\n');
      out.push(...evaluationTable('dev', dev));
      if (args.includes('--errors')) out.push(...errors('dev', dev.all));
      return void process.stdout.write(out.join('\n') + '\n');
    }
    const heldout = await evaluateAll(corpus.heldout);
    if (args.includes('--json')) return void process.stdout.write(JSON.stringify({ dev, heldout }, null, 2) + '\n');
    out.push(...evaluationTable('dev', dev), '', ...evaluationTable('held-out (never tune on it; its errors are not shown)', heldout));
    if (args.includes('--errors')) out.push(...errors('dev', dev.all));
    if (args.includes('--record')) {
      const baseline = look
        ? recordBaseline(heldout, `${classifier.taxonomyVersion} with the second look (${look.model.embedder}, add at ${look.addAt}, drop under ${look.dropBelow}${dropCheckNote(look.model)}${look.findAt === null ? '' : `, find at ${look.findAt}`}${neighboursNote(look.model)})`, SECOND_LOOK_BASELINE_FILE)
        : recordBaseline(heldout, classifier.taxonomyVersion);
      out.push('', `recorded held-out macro-F1 as the regression floor: ${JSON.stringify(baseline.macroF1)}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
