/**
 * npm run eval:stories -- FILE [FILE...] [--json] [--show N] [--curve] [--shuffles N [--seed S] [--late H]] [--file-topics]
 * Reads JSON lines of {id, title, text, language, sourceId, publishedAt, storyId, topics?}, gives
 * each the topics the project's classifier finds in it (as the running pipeline does before the
 * stories stage; `--file-topics` takes the file's own topics instead, none for most sets), assigns
 * them to stories in order of publication, and prints pairwise precision, recall and F1 overall and
 * over cross-language pairs, and how many gold stories were split or merged wrongly. `--curve` adds
 * the cross-language precision and recall at other cross-language thresholds. `--shuffles N` adds
 * the same figures over N random arrival orders (seeded by S, default 1): a monitor polling many
 * sources, or starting fresh on a backlog, does not receive articles in order of publication, and
 * a grouping that holds only in that order is luck. With `--late H`, an order is not any order
 * but each article arriving up to H hours after its publication, at random: a set spanning years
 * shuffled whole is no stream any monitor sees (an article years late has left the window).
 */
import { readFileSync } from 'node:fs';
// The classifier is what the pipeline runs before the stories stage: measuring the grouping
// without its topics measured something no monitor runs (the story sets carry none). Only this
// tool loads it; the assigner takes topics as given.
import { loadDefaultClassifier } from '@monitor/classifier';
import { seededRandom } from '@monitor/contracts';
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
      if (v.topics !== undefined && (!Array.isArray(v.topics) || v.topics.some((t) => typeof t !== 'string'))) throw new Error(`${where}: "topics" must be a list of strings`);
      const topics = v.topics as string[] | undefined;
      out.push({ id: v.id as string, title: v.title as string, text: v.text as string, language: v.language as string, sourceId: v.sourceId as string, publishedAt, storyId: v.storyId as string, ...(topics ? { topics } : {}) });
    });
  return out;
}

function group(articles: LabelledStoryArticle[], assigner = new StoryAssigner()): GroupedArticle[] {
  return articles.map((a) => ({ id: a.id, language: a.language, gold: a.storyId, found: assigner.assign(a).story.id }));
}

interface ShuffleSummary {
  orders: number;
  seed: number;
  /** The most an article arrived after its publication; absent when any order was possible. */
  lateHours?: number;
  mean: { precision: number; recall: number; f1: number; crossPrecision: number; crossRecall: number; crossF1: number; split: number; merged: number };
  minF1: number;
  /** Share of the orders in which no found story held articles of two gold stories. */
  noneMerged: number;
  /** Share of the orders in which no gold story was split. */
  noneSplit: number;
  /** Share of the orders grouped exactly as the gold. */
  exact: number;
  /** The largest found story, in articles: mean and most over the orders. */
  largest: { mean: number; most: number; shares: Record<number, number> };
  /** Per gold story of several articles, the share of the orders that found it exactly (alone and whole). */
  storiesExact: Record<string, number>;
}

/**
 * The grouping over `orders` random arrival orders (seeded): any order (Fisher-Yates), or with
 * `lateMs` each article arriving a uniform random delay of at most that after its publication.
 */
function shuffled(articles: LabelledStoryArticle[], orders: number, seed: number, lateMs?: number): ShuffleSummary {
  const rnd = seededRandom(seed);
  const sum = { precision: 0, recall: 0, f1: 0, crossPrecision: 0, crossRecall: 0, crossF1: 0, split: 0, merged: 0 };
  let minF1 = 1;
  let noneMerged = 0;
  let noneSplit = 0;
  let exact = 0;
  let largestSum = 0;
  let largestMost = 0;
  const largestCount = new Map<number, number>();
  const exactCount = new Map<string, number>();
  for (let o = 0; o < orders; o++) {
    let order = [...articles];
    if (lateMs === undefined) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    } else {
      order = order
        .map((a) => [a.publishedAt + rnd() * lateMs, a] as const)
        .sort((x, y) => x[0] - y[0])
        .map(([, a]) => a);
    }
    const grouping = group(order);
    const r = evaluateStories(grouping);
    const byFound = new Map<string, GroupedArticle[]>();
    for (const g of grouping) byFound.set(g.found, [...(byFound.get(g.found) ?? []), g]);
    const largest = Math.max(...[...byFound.values()].map((list) => list.length));
    largestSum += largest;
    largestMost = Math.max(largestMost, largest);
    largestCount.set(largest, (largestCount.get(largest) ?? 0) + 1);
    const goldSize = new Map<string, number>();
    for (const g of grouping) goldSize.set(g.gold, (goldSize.get(g.gold) ?? 0) + 1);
    for (const list of byFound.values()) {
      const gold = list[0].gold;
      if (goldSize.get(gold)! > 1 && list.every((g) => g.gold === gold) && list.length === goldSize.get(gold)) exactCount.set(gold, (exactCount.get(gold) ?? 0) + 1);
    }
    for (const [gold, n] of goldSize) if (n > 1 && !exactCount.has(gold)) exactCount.set(gold, 0);
    sum.precision += r.overall.precision;
    sum.recall += r.overall.recall;
    sum.f1 += r.overall.f1;
    sum.crossPrecision += r.crossLanguage.precision;
    sum.crossRecall += r.crossLanguage.recall;
    sum.crossF1 += r.crossLanguage.f1;
    sum.split += r.split;
    sum.merged += r.merged;
    minF1 = Math.min(minF1, r.overall.f1);
    if (r.merged === 0) noneMerged++;
    if (r.split === 0) noneSplit++;
    if (r.merged === 0 && r.split === 0) exact++;
  }
  const mean = Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / orders])) as ShuffleSummary['mean'];
  return { orders, seed, ...(lateMs === undefined ? {} : { lateHours: lateMs / 3600_000 }), mean, minF1, noneMerged: noneMerged / orders, noneSplit: noneSplit / orders, exact: exact / orders,
    largest: { mean: largestSum / orders, most: largestMost, shares: Object.fromEntries([...largestCount.entries()].sort((x, y) => x[0] - y[0]).map(([size, n]) => [size, n / orders])) },
    storiesExact: Object.fromEntries([...exactCount.entries()].sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0])).map(([gold, n]) => [gold, n / orders])),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const valued = new Set(['--show', '--shuffles', '--seed', '--late']);
  const files = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
  if (files.length === 0) {
    process.stderr.write('usage: npm run eval:stories -- FILE [FILE...] [--json] [--show N] [--curve] [--shuffles N [--seed S] [--late H]] [--file-topics]\n');
    process.exit(2);
  }
  const fileTopics = args.includes('--file-topics');
  const classifier = fileTopics ? undefined : loadDefaultClassifier();
  const articles = files
    .flatMap(read)
    .map((a) => (classifier ? { ...a, topics: classifier.classify({ title: a.title, text: a.text, lang: a.language }).topics.map((t) => t.id) } : a))
    .sort((a, b) => a.publishedAt - b.publishedAt || a.id.localeCompare(b.id));
  const grouped = group(articles);
  const result = evaluateStories(grouped);
  const valueOf = (name: string, fallback: number): number => {
    const at = args.indexOf(name);
    if (at < 0) return fallback;
    const n = Number(args[at + 1]);
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`${name} takes a whole number, not ${args[at + 1] ?? 'nothing'}\n`);
      process.exit(2);
    }
    return n;
  };
  const orders = valueOf('--shuffles', 0);
  const shuffles = orders > 0 ? shuffled(articles, orders, valueOf('--seed', 1), args.includes('--late') ? valueOf('--late', 0) * 3600_000 : undefined) : undefined;
  if (args.includes('--json')) return void process.stdout.write(JSON.stringify(shuffles ? { ...result, shuffles } : result, null, 2) + '\n');
  const f = (x: number): string => x.toFixed(3);
  const line = (name: string, p: typeof result.overall): string =>
    `${name.padEnd(16)} precision ${f(p.precision)}  recall ${f(p.recall)}  F1 ${f(p.f1)}   (${p.correctPairs} of ${p.foundPairs} pairs found are right; ${p.truePairs} true pairs)`;
  const out = [
    `${result.articles} articles in ${result.goldStories} stories (${files.join(', ')}); found ${result.foundStories} stories; topics ${fileTopics ? "the file's" : `the classifier's (taxonomy ${classifier!.taxonomyVersion})`}`,
    line('all pairs', result.overall),
    line('cross-language', result.crossLanguage),
    `gold stories split: ${result.split}   found stories merging several gold ones: ${result.merged}`,
  ];
  if (shuffles) {
    const m = shuffles.mean;
    const pct = (x: number): string => `${Math.round(x * 100)}%`;
    out.push(
      `over ${shuffles.orders} random arrival orders (seed ${shuffles.seed}${shuffles.lateHours === undefined ? ', any order' : `, each article up to ${shuffles.lateHours} h late`}):`,
      `  all pairs        precision ${f(m.precision)}  recall ${f(m.recall)}  F1 ${f(m.f1)} (least ${f(shuffles.minF1)})`,
      `  cross-language   precision ${f(m.crossPrecision)}  recall ${f(m.crossRecall)}  F1 ${f(m.crossF1)}`,
      `  gold stories split ${m.split.toFixed(2)} and found stories merging ${m.merged.toFixed(2)} on average; none merged in ${pct(shuffles.noneMerged)}, none split in ${pct(shuffles.noneSplit)}, exact in ${pct(shuffles.exact)} of the orders`,
      `  largest story found: ${shuffles.largest.mean.toFixed(1)} articles on average, ${shuffles.largest.most} at most; ${Object.entries(shuffles.largest.shares).map(([size, share]) => `${size} in ${pct(share)}`).join(', ')} of the orders`,
    );
    if (args.includes('--show')) {
      const stories = Object.entries(shuffles.storiesExact);
      out.push(`  gold stories of several articles found exactly, share of the orders: ${stories.map(([gold, share]) => `${gold} ${pct(share)}`).join(', ')}`);
    }
  }
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
