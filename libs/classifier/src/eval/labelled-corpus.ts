/**
 * The classifier's own labelled corpus (libs/classifier/corpus): items written in the project by
 * LABELLING.md, each assigned once to the dev or the held-out part by split.tsv.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_IDS } from '@monitor/contracts';
import type { LabelledArticle } from './classifier-evaluation';

export const CORPUS_DIR = join(__dirname, '..', '..', 'corpus');

export type CorpusPart = 'dev' | 'heldout';
export type LanguageGroup = 'en' | 'ru' | 'zh';
export const LANGUAGE_GROUPS: LanguageGroup[] = ['en', 'ru', 'zh'];

export interface CorpusItem extends LabelledArticle {
  source: string;
  url: string;
  published: string;
  lang: LanguageGroup;
  /** `hant` for traditional Chinese. */
  script?: string;
  notes: string;
}

export class CorpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorpusError';
  }
}

const TOPICS = new Set<string>(TOPIC_IDS);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads every `items/*.jsonl` file; a malformed item fails the whole read, naming file, line and field. */
export function readCorpusItems(dir = CORPUS_DIR): CorpusItem[] {
  const itemsDir = join(dir, 'items');
  const items: CorpusItem[] = [];
  const seen = new Map<string, string>();
  // Two retellings of one article would count it twice, and on both sides of the split if the
  // two were placed apart: one article, one item.
  const urls = new Map<string, string>();
  for (const file of readdirSync(itemsDir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(itemsDir, file), 'utf8').split('\n');
    lines.forEach((raw, index) => {
      if (raw.trim() === '') return;
      const where = `${file}:${index + 1}`;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(raw) as Record<string, unknown>;
      } catch (error) {
        throw new CorpusError(`${where}: invalid JSON: ${(error as Error).message}`);
      }
      const text = (field: string): string => {
        const v = value[field];
        if (typeof v !== 'string' || v.trim() === '') throw new CorpusError(`${where}: "${field}" must be a non-empty string`);
        return v;
      };
      const id = text('id');
      if (seen.has(id)) throw new CorpusError(`${where}: id "${id}" is also used at ${seen.get(id)}`);
      seen.set(id, where);
      const url = text('url');
      const lang = text('lang');
      if (!(LANGUAGE_GROUPS as string[]).includes(lang)) throw new CorpusError(`${where}: "lang" must be one of ${LANGUAGE_GROUPS.join(', ')}, not "${lang}"`);
      const published = text('published');
      if (!DATE.test(published)) throw new CorpusError(`${where}: "published" must be YYYY-MM-DD, not "${published}"`);
      const topics = value.topics;
      if (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string' || !TOPICS.has(t))) {
        throw new CorpusError(`${where}: "topics" must be a list of topic ids (${[...TOPICS].join(', ')})`);
      }
      if (urls.has(url)) throw new CorpusError(`${where}: "url" ${url} is also retold at ${urls.get(url)}`);
      urls.set(url, where);
      items.push({
        id,
        title: text('title'),
        text: text('text'),
        lang: lang as LanguageGroup,
        labels: topics as string[],
        source: text('source'),
        url,
        published,
        script: typeof value.script === 'string' ? value.script : undefined,
        notes: typeof value.notes === 'string' ? value.notes : '',
      });
    });
  }
  return items;
}

/** split.tsv: `id<TAB>dev|heldout` per line; `#` starts a comment. */
export function readSplit(dir = CORPUS_DIR): Map<string, CorpusPart> {
  const split = new Map<string, CorpusPart>();
  let raw: string;
  try {
    raw = readFileSync(join(dir, 'split.tsv'), 'utf8');
  } catch {
    return split;
  }
  raw.split('\n').forEach((line, index) => {
    const content = line.replace(/#.*/, '').trim();
    if (!content) return;
    const [id, part] = content.split('\t');
    if (part !== 'dev' && part !== 'heldout') throw new CorpusError(`split.tsv:${index + 1}: part must be "dev" or "heldout", not "${part}"`);
    split.set(id, part);
  });
  return split;
}

export interface LoadedCorpus {
  dev: CorpusItem[];
  heldout: CorpusItem[];
}

/** The corpus in its two parts; an item missing from split.tsv is an error (assign it with `npm run corpus:split`). */
export function loadCorpus(dir = CORPUS_DIR): LoadedCorpus {
  const split = readSplit(dir);
  const corpus: LoadedCorpus = { dev: [], heldout: [] };
  const unassigned: string[] = [];
  for (const item of readCorpusItems(dir)) {
    const part = split.get(item.id);
    if (!part) unassigned.push(item.id);
    else corpus[part].push(item);
  }
  if (unassigned.length > 0) {
    throw new CorpusError(`${unassigned.length} corpus item(s) have no part in split.tsv (${unassigned.slice(0, 5).join(', ')}…): run npm run corpus:split`);
  }
  return corpus;
}
