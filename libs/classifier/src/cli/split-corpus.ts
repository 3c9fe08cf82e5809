/**
 * npm run corpus:split [-- --hold-out ID_PREFIX ...]: places corpus items that split.tsv does not
 * list yet (see corpus-split.ts for the rule); items already placed never move.
 *
 * The held-out part is frozen since 2026-12-05 at 596 items (en 125, ru 261, zh 210): until then
 * each new batch added about 35% of itself to it, so no two held-out readings were on the same set
 * and the regression floor had to be re-read each time. New source-year groups now go to the dev
 * part, where each batch is read once before any tuning on it: that first reading measures sources
 * the taxonomy has never met.
 *
 * `--hold-out ID_PREFIX`: new items whose id starts so go to the held-out part instead, a
 * measuring batch from sources the corpus never had (their source and year must have no dev
 * item). Used once, on 2026-12-06, for 187 Chinese items (zh-24), as the taxonomy's CHANGELOG
 * records: the frozen part's 210 Chinese items measure a macro-F1 to about ±0.03.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignParts } from '../eval/corpus-split';
import { CORPUS_DIR, readCorpusItems, readSplit } from '../eval/labelled-corpus';

function main(): void {
  const items = readCorpusItems();
  const existing = readSplit();
  const prefixes = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--hold-out' ? [a] : []));
  const parts = assignParts(items, existing, { heldoutFrozen: true, holdOut: (item) => prefixes.some((p) => item.id.startsWith(p)) });
  const lines = ['# The frozen split of the classifier corpus (see libs/classifier/src/eval/corpus-split.ts). Never move an item.'];
  for (const item of items) lines.push(`${item.id}\t${parts.get(item.id)}`);
  writeFileSync(join(CORPUS_DIR, 'split.tsv'), lines.join('\n') + '\n');
  const count = (lang: string, part: string): number => items.filter((i) => i.lang === lang && parts.get(i.id) === part).length;
  for (const lang of ['en', 'ru', 'zh']) process.stdout.write(`${lang}: dev ${count(lang, 'dev')}, held-out ${count(lang, 'heldout')}\n`);
  process.stdout.write(`placed ${items.length - existing.size} new item(s)\n`);
}

try {
  main();
} catch (e) {
  // A malformed or repeated item is named by file and line (CorpusError): that, not a stack, is the answer.
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
