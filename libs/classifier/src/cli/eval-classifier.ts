/**
 * npm run eval:classifier -- FILE [--taxonomy PATH] [--json]
 * Classifies a labelled JSON-lines file ({"id","title","text","lang"?,"topics"|"labels"}) and prints
 * per-topic precision, recall, F1 and support, micro and macro F1, then every false positive and
 * false negative with its evidence.
 */
import { loadClassifier } from '../load-classifier';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import { evaluate, type LabelledArticle } from '../eval/classifier-evaluation';
import { jsonLines } from './read-json-lines';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const taxonomyAt = args.indexOf('--taxonomy');
  const taxonomy = taxonomyAt >= 0 ? args[taxonomyAt + 1] : DEFAULT_TAXONOMY_PATH;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--taxonomy');
  if (!file) {
    process.stderr.write('usage: npm run eval:classifier -- FILE [--taxonomy PATH] [--json]\n');
    process.exit(2);
  }
  const classifier = loadClassifier(taxonomy);
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
  const result = evaluate(classifier, articles);
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const pct = (x: number): string => x.toFixed(3);
  const out: string[] = [];
  out.push(`taxonomy ${classifier.taxonomyVersion} (${taxonomy}), ${result.articles} articles from ${file}`);
  out.push('');
  out.push(`${'topic'.padEnd(30)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'F1'.padStart(6)} ${'support'.padStart(7)}   tp  fp  fn`);
  for (const t of result.topics) {
    out.push(`${t.id.padEnd(30)} ${pct(t.precision).padStart(6)} ${pct(t.recall).padStart(6)} ${pct(t.f1).padStart(6)} ${String(t.support).padStart(7)}  ${String(t.tp).padStart(3)} ${String(t.fp).padStart(3)} ${String(t.fn).padStart(3)}`);
  }
  out.push('');
  out.push(`micro F1 ${pct(result.microF1)}   macro F1 ${pct(result.macroF1)}`);
  const weak = result.topics.filter((t) => t.support >= 5 && t.f1 < 0.7).map((t) => t.id);
  out.push(`topics with >= 5 examples under F1 0.7: ${weak.length ? weak.join(', ') : 'none'}`);
  for (const kind of ['false-positive', 'false-negative'] as const) {
    const list = result.misses.filter((m) => m.kind === kind);
    out.push('');
    out.push(`${kind}s (${list.length}):`);
    for (const m of list) {
      out.push(`  ${m.articleId}  ${m.topic}  score ${m.score}  "${m.title.slice(0, 90)}"`);
      const ev = m.evidence.slice(0, 6).map((e) => `${e.term} [${e.field} ${e.start}-${e.end}] ${e.weight}`);
      out.push(`      ${ev.length ? ev.join('; ') : '(no evidence)'}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
