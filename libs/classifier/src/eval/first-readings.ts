/**
 * First readings: each corpus item scored with the taxonomy as it stood in the repository just
 * before the item was committed. The taxonomy had not met the item, nor, for a new batch, its
 * sources; terms written afterwards from the item do not count. Pooled over the batches, this is
 * the project's measure of how the classifier does on sources it has never seen, which the dev
 * part overstates (its terms were written from its own articles) and the frozen held-out part
 * measures only once per round.
 *
 * Everything comes from git history: the commit that first added each item id to its file, and the
 * taxonomy file at that commit's parent. A shallow clone lacks that history and fails, naming it.
 */
import { execFileSync } from 'node:child_process';
import { basename, relative } from 'node:path';
import { MonitorError } from '@monitor/contracts';
import { TopicClassifier } from '../article-classifier';
import { parseTaxonomy } from '../taxonomy-loader';
import type { CorpusItem } from './labelled-corpus';

/** git could not answer (not a repository, a shallow clone, a path unknown at a commit). */
export class FirstReadingError extends MonitorError {
  constructor(detail: string, cause?: unknown) {
    super('FIRST_READING_UNAVAILABLE', detail, { retriable: false, cause });
  }
}

/** Where an item entered the repository. */
export interface ItemArrival {
  /** The item file's name without `.jsonl`, e.g. `ru-5a`. */
  file: string;
  /** The commit that first added the item's id to that file. */
  commit: string;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (cause) {
    const stderr = String((cause as { stderr?: unknown }).stderr ?? '').trim();
    throw new FirstReadingError(`git ${args.join(' ')} failed in ${cwd}: ${stderr || (cause as Error).message}`, cause);
  }
}

export function repositoryRoot(dir: string): string {
  const root = git(dir, ['rev-parse', '--show-toplevel']).trim();
  if (git(root, ['rev-parse', '--is-shallow-repository']).trim() === 'true') {
    throw new FirstReadingError(`${root} is a shallow clone: first readings need the whole history (git fetch --unshallow)`);
  }
  return root;
}

const ID = /"id"\s*:\s*"([^"]+)"/;

function idsOf(source: string): string[] {
  const ids: string[] = [];
  for (const line of source.split('\n')) {
    const m = ID.exec(line);
    if (m) ids.push(m[1]);
  }
  return ids;
}

/**
 * For every item file under `itemsDir`, walks the file's commits oldest first and notes, for each
 * id, the first commit whose version of the file holds it. Ids that are in the working tree but
 * not yet committed have no arrival: they are not part of any first reading.
 */
export function itemArrivals(itemsDir: string): Map<string, ItemArrival> {
  const root = repositoryRoot(itemsDir);
  const arrivals = new Map<string, ItemArrival>();
  const files = git(root, ['ls-files', '--', relative(root, itemsDir)])
    .split('\n')
    .filter((f) => f.endsWith('.jsonl'));
  for (const path of files) {
    const file = basename(path, '.jsonl');
    const commits = git(root, ['log', '--reverse', '--format=%H', '--', path]).split('\n').filter(Boolean);
    for (const commit of commits) {
      let source: string;
      try {
        source = git(root, ['show', `${commit}:${path}`]);
      } catch {
        continue; // the commit deleted the file (a rename or a clean-up); nothing arrived there
      }
      for (const id of idsOf(source)) if (!arrivals.has(id)) arrivals.set(id, { file, commit });
    }
  }
  return arrivals;
}

/** What one item got from the taxonomy that had not met it. */
export interface FirstReading {
  item: CorpusItem;
  batch: number;
  /** The version of the taxonomy that read the item first. */
  taxonomyVersion: string;
  predicted: Set<string>;
  /** The classifier of that taxonomy (rules alone), to ask it more, e.g. for a second look. */
  classifier: TopicClassifier;
}

export interface FirstReadings {
  readings: FirstReading[];
  /** Items with no first reading, and why (not committed yet, or a taxonomy this code cannot read). */
  leftOut: { id: string; why: string }[];
}

/**
 * Scores each item with the taxonomy file at the parent of the commit that added it, rules alone
 * (a second opinion of that time was trained on a dev part that may have held the item). One
 * classifier per distinct taxonomy file, however many commits share it.
 */
export function readFirst(items: readonly CorpusItem[], itemsDir: string, taxonomyPath: string): FirstReadings {
  const root = repositoryRoot(itemsDir);
  const path = relative(root, taxonomyPath);
  const arrivals = itemArrivals(itemsDir);
  const byBlob = new Map<string, TopicClassifier | string>();
  const blobBefore = new Map<string, string | null>();
  const out: FirstReadings = { readings: [], leftOut: [] };
  for (const item of items) {
    const arrival = arrivals.get(item.id);
    if (!arrival) {
      out.leftOut.push({ id: item.id, why: 'not committed yet' });
      continue;
    }
    if (!blobBefore.has(arrival.commit)) {
      let blob: string | null = null;
      try {
        blob = git(root, ['rev-parse', `${arrival.commit}^:${path}`]).trim();
      } catch {
        blob = null; // no taxonomy file before that commit
      }
      blobBefore.set(arrival.commit, blob);
    }
    const blob = blobBefore.get(arrival.commit);
    if (!blob) {
      out.leftOut.push({ id: item.id, why: `no ${path} before ${arrival.commit.slice(0, 7)}` });
      continue;
    }
    if (!byBlob.has(blob)) {
      const where = `${arrival.commit.slice(0, 7)}^:${path}`;
      try {
        byBlob.set(blob, new TopicClassifier(parseTaxonomy(git(root, ['cat-file', 'blob', blob]), where), { secondOpinionNote: 'off: rules alone' }));
      } catch (error) {
        // An early taxonomy may not fit today's schema: its items are left out, and said so.
        byBlob.set(blob, `${where} cannot be read by this classifier: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    const classifier = byBlob.get(blob)!;
    if (typeof classifier === 'string') {
      out.leftOut.push({ id: item.id, why: classifier });
      continue;
    }
    out.readings.push({
      item,
      batch: batchOf(arrival.file),
      taxonomyVersion: classifier.taxonomyVersion,
      classifier,
      predicted: new Set(classifier.topicsOf(item.title, item.text).map((t) => t.id)),
    });
  }
  return out;
}

/**
 * The batch an item file belongs to, from its name: `ru-5a` and `zh-5` are batch 5; files without
 * a number (`ru`, `en-un`, `en-regional`) are batch 1, the corpus's first.
 */
export function batchOf(file: string): number {
  const m = /^[a-z]+-(\d+)/.exec(file);
  return m ? Number(m[1]) : 1;
}
