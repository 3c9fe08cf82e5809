/**
 * npm run classify [-- --taxonomy PATH]
 * JSON lines {"id","title","text","lang"?} on stdin → one JSON line per input on stdout, in order:
 * {"id","language","taxonomyVersion","topics":[{"id","score","evidence":[...]}]}. A line that cannot be
 * read gives {"line":N,"error":"..."} and the run goes on.
 */
import { loadClassifier } from '../load-classifier';
import { DEFAULT_TAXONOMY_PATH } from '../taxonomy-loader';
import { jsonLines } from './read-json-lines';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--taxonomy');
  const classifier = loadClassifier(at >= 0 ? args[at + 1] : DEFAULT_TAXONOMY_PATH);
  for await (const { line, value, error } of jsonLines(process.stdin)) {
    let out: unknown;
    const a = value as Record<string, unknown> | null | undefined;
    if (error) out = { line, error };
    else if (!a || typeof a !== 'object' || Array.isArray(a)) out = { line, error: 'expected a JSON object' };
    else if (a.id === undefined || a.id === null || (typeof a.id !== 'string' && typeof a.id !== 'number')) out = { line, error: 'id: expected a string or number' };
    else if (typeof a.title !== 'string') out = { line, id: a.id, error: 'title: expected a string' };
    else if (typeof a.text !== 'string') out = { line, id: a.id, error: 'text: expected a string' };
    else if (a.lang !== undefined && a.lang !== null && typeof a.lang !== 'string') out = { line, id: a.id, error: 'lang: expected a string' };
    else {
      const r = classifier.classify({ title: a.title, text: a.text, lang: (a.lang as string | null) ?? undefined });
      out = { id: a.id, language: r.language, taxonomyVersion: r.taxonomyVersion, topics: r.topics };
    }
    if (!process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
