// `npm run bench:stories`: how fast the story assigner places articles with 100,000 articles
// already in its window, on one core, beside a baseline from the same run: the analysis alone
// (terms, gazetteer entities, numbers), which every article costs whatever the grouping does.
// Prints the memory each article in the window holds. Options: --window N --measure M --seed K.
import { loadavg } from 'node:os';
import { seededRandom } from '@monitor/contracts';
import { syntheticArticle } from '@monitor/alerts/testing';
import { EntityFinder, StoryAssigner, findQuantities, loadGazetteer, type StoryArticle } from '@monitor/stories';
import { phraseTerms } from '@monitor/text';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const WINDOW = option('window', 100_000);
const MEASURE = option('measure', 5_000);
const SEED = option('seed', 1);
const rnd = seededRandom(SEED);

// Events, each reported one to five times, in the three languages; each event has names and
// numbers of its own, as real events do, on top of the synthetic filler prose.
const places = loadGazetteer().filter((e) => e.kind === 'city' || e.kind === 'region' || e.kind === 'country');
const SPAN_MS = 7 * 24 * 3600_000;
const start = Date.parse('2026-01-01T00:00:00Z');
let serial = 0;
function* stream(total: number): Generator<StoryArticle> {
  let made = 0;
  while (made < total) {
    const place = places[Math.floor(rnd() * places.length)];
    const tonnes = (1 + Math.floor(rnd() * 900)) / 10;
    const name = `op${Math.floor(rnd() * 1e9).toString(36)}`;
    const reports = 1 + Math.floor(rnd() * 5);
    const at = start + ((made / total) * SPAN_MS);
    for (let r = 0; r < reports && made < total; r++, made++) {
      const a = syntheticArticle(rnd);
      const lang = a.language as 'en' | 'ru' | 'zh';
      const facts = lang === 'zh' ? `${place.zh[0]}缴获${tonnes}吨 ${name}` : lang === 'ru' ? `${place.ru[0]}: изъято ${tonnes} т, ${name}` : `${place.en[0]}: ${tonnes} tonnes seized, ${name}`;
      // With the topics a classified article carries, as the pipeline passes them (the topic rule
      // of the assigner costs only with them).
      yield { id: `a${++serial}`, title: `${a.title} ${facts}`, text: a.text, language: lang, sourceId: a.sourceId, publishedAt: at + r * 3600_000, topics: a.topics.map((t) => t.id) };
    }
  }
}

const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} articles/s`;

const warm = [...stream(WINDOW)];
const measured = [...stream(MEASURE)].map((a) => ({ ...a, publishedAt: warm[warm.length - 1].publishedAt + 60_000 }));

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const assigner = new StoryAssigner();
let t = performance.now();
for (const a of warm) assigner.assign(a);
const fillMs = performance.now() - t;
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

t = performance.now();
for (const a of measured) assigner.assign(a);
const assignMs = performance.now() - t;

const finder = new EntityFinder(loadGazetteer());
t = performance.now();
for (const a of measured) {
  const terms = phraseTerms(`${a.title}\n${a.text}`);
  finder.find('', terms);
  findQuantities(`${a.title}\n${a.text}`);
}
const analysisMs = performance.now() - t;

const lines = [
  `story assigner, window of ${assigner.size.toLocaleString('en-US')} articles (seed ${SEED}):`,
  `  assigning ${MEASURE.toLocaleString('en-US')} more: ${rate(MEASURE, assignMs)}`,
  `  baseline, their analysis alone (terms, entities, numbers): ${rate(MEASURE, analysisMs)}`,
  `  grouping costs ${(assignMs / analysisMs).toFixed(2)}x the analysis`,
  `  filling the window: ${rate(WINDOW, fillMs)}`,
  `  memory: ${((heapAfter - heapBefore) / Math.max(1, WINDOW)).toFixed(0)} bytes per article in the window${global.gc ? '' : ' (run with --expose-gc for an exact figure)'}`,
  `  (one core; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')})`,
];
process.stdout.write(lines.join('\n') + '\n');
