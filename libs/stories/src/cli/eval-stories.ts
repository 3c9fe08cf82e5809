/**
 * npm run eval:stories -- FILE [FILE...] [--json] [--show N] [--curve]
 * Reads JSON lines of {id, title, text, language, sourceId, publishedAt, storyId}, assigns them to
 * stories in order of publication, and prints pairwise precision, recall and F1 overall and over
 * cross-language pairs, and how many gold stories were split or merged wrongly. `--curve` adds the
 * cross-language precision and recall at other cross-language thresholds.
 */
import { readFileSync } from 'node:fs';
import { StoryAssigner, type StoryArticle } from '../story-assigner';
import { evaluateStories, type GroupedArticle } from '../story-evaluation';

interface LabelledStoryArticle extends StoryArticle {
  storyId: string;
}

function read(file: string): LabelledStoryArticle[] {
  const out: LabelledStoryArticle[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      if (!raw.trim()) return;
      const where = `${file}:${index + 1}`;
      let v: Record<string, unknown>;
      try {
        v = JSON.parse(raw) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${where}: invalid JSON: ${(error as Error).message}`);
      }
      for (const field of ['id', 'title', 'text', 'language', 'sourceId', 'publishedAt', 'storyId']) {
        if (typeof v[field] !== 'string' || !(v[field] as string).trim()) throw new Error(`${where}: "${field}" must be a non-empty string`);
      }
      const publishedAt = Date.parse(v.publishedAt as string);
      if (Number.isNaN(publishedAt)) throw new Error(`${where}: "publishedAt" is not a date: ${String(v.publishedAt)}`);
      out.push({ id: v.id as string, title: v.title as string, text: v.text as string, language: v.language as string, sourceId: v.sourceId as string, publishedAt, storyId: v.storyId as string });
    });
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--show');
  if (files.length === 0) {
    process.stderr.write('usage: npm run eval:stories -- FILE [FILE...] [--json] [--show N]\n');
    process.exit(2);
  }
  const articles = files.flatMap(read).sort((a, b) => a.publishedAt - b.publishedAt || a.id.localeCompare(b.id));
  const assigner = new StoryAssigner();
  const grouped: GroupedArticle[] = articles.map((a) => ({ id: a.id, language: a.language, gold: a.storyId, found: assigner.assign(a).story.id }));
  const result = evaluateStories(grouped);
  if (args.includes('--json')) return void process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  const f = (x: number): string => x.toFixed(3);
  const line = (name: string, p: typeof result.overall): string =>
    `${name.padEnd(16)} precision ${f(p.precision)}  recall ${f(p.recall)}  F1 ${f(p.f1)}   (${p.correctPairs} of ${p.foundPairs} pairs found are right; ${p.truePairs} true pairs)`;
  const out = [
    `${result.articles} articles in ${result.goldStories} stories (${files.join(', ')}); found ${result.foundStories} stories`,
    line('all pairs', result.overall),
    line('cross-language', result.crossLanguage),
    `gold stories split: ${result.split}   found stories merging several gold ones: ${result.merged}`,
  ];
  if (args.includes('--curve')) {
    out.push('cross-language threshold: precision / recall of cross-language pairs');
    for (const threshold of [0.18, 0.22, 0.26, 0.3, 0.35, 0.4, 0.5]) {
      const curveAssigner = new StoryAssigner({ crossLanguageThreshold: threshold });
      const r = evaluateStories(articles.map((a) => ({ id: a.id, language: a.language, gold: a.storyId, found: curveAssigner.assign(a).story.id })));
      out.push(`  ${threshold.toFixed(2)}: ${f(r.crossLanguage.precision)} / ${f(r.crossLanguage.recall)}   (all pairs F1 ${f(r.overall.f1)})`);
    }
  }
  const showAt = args.indexOf('--show');
  if (showAt >= 0) {
    // The stories where grouping and gold disagree, for reading.
    const byGold = new Map<string, GroupedArticle[]>();
    for (const g of grouped) byGold.set(g.gold, [...(byGold.get(g.gold) ?? []), g]);
    const wrong = [...byGold.entries()].filter(([, list]) => new Set(list.map((x) => x.found)).size > 1).slice(0, Number(args[showAt + 1]) || 20);
    for (const [gold, list] of wrong) out.push(`split ${gold}: ${list.map((x) => `${x.id}(${x.language})→${x.found.slice(6, 12)}`).join(' ')}`);
    const byFound = new Map<string, GroupedArticle[]>();
    for (const g of grouped) byFound.set(g.found, [...(byFound.get(g.found) ?? []), g]);
    const merged = [...byFound.entries()].filter(([, list]) => new Set(list.map((x) => x.gold)).size > 1).slice(0, Number(args[showAt + 1]) || 20);
    for (const [found, list] of merged) out.push(`merged ${found.slice(6, 12)}: ${list.map((x) => `${x.id}:${x.gold}`).join(' ')}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main();
