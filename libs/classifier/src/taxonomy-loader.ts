import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import type { ZodError } from 'zod';
import { zodProblem } from '@monitor/contracts';
import { TaxonomySchema, TERM_LANGUAGES, type Taxonomy } from './taxonomy-schema';
import { TaxonomyError } from './taxonomy-error';
import { normaliseTerm } from './match-text';

/** The taxonomy shipped with the classifier. */
export const DEFAULT_TAXONOMY_PATH = join(__dirname, '..', 'taxonomy', 'taxonomy.yaml');

/** Reads, parses and validates a taxonomy file; throws TaxonomyError naming file, topic and field. */
export function loadTaxonomy(path: string = DEFAULT_TAXONOMY_PATH): Taxonomy {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TaxonomyError(path, undefined, '(file)', `cannot read: ${(cause as Error).message}`, { cause, code: 'TAXONOMY_FILE_NOT_FOUND' });
  }
  return parseTaxonomy(source, path);
}

/** Parses and validates taxonomy YAML text; `file` is only used in error messages. */
export function parseTaxonomy(source: string, file = '(taxonomy)'): Taxonomy {
  let raw: unknown;
  try {
    raw = parse(source, { prettyErrors: true, uniqueKeys: true });
  } catch (cause) {
    const where = cause instanceof YAMLParseError && cause.linePos ? `line ${cause.linePos[0].line}` : '(syntax)';
    throw new TaxonomyError(file, undefined, where, (cause as Error).message.split('\n')[0], { cause });
  }
  const result = TaxonomySchema.safeParse(raw);
  if (!result.success) throw fromZod(result.error, raw, file);
  checkReferences(result.data, file);
  return result.data;
}

function fromZod(error: ZodError, raw: unknown, file: string): TaxonomyError {
  const { path, message } = zodProblem(error);
  let topic: string | undefined;
  let fieldPath = path;
  if (path[0] === 'topics' && path.length >= 2) {
    const index = Number(path[1]);
    const rawTopics = (raw as { topics?: unknown[] } | null)?.topics;
    const rawId = Array.isArray(rawTopics) ? (rawTopics[index] as { id?: unknown } | undefined)?.id : undefined;
    topic = typeof rawId === 'string' ? rawId : `#${index + 1}`;
    fieldPath = path.slice(2);
  }
  const field = fieldPath.length ? fieldPath.join('.').replace(/\.(\d+)/g, '[$1]') : '(root)';
  return new TaxonomyError(file, topic, field, message, { cause: error });
}

/** What zod cannot see: anchor names that exist, unique topic ids, terms that normalise to nothing. */
function checkReferences(taxonomy: Taxonomy, file: string): void {
  const seen = new Set<string>();
  const anchors = new Set(Object.keys(taxonomy.anchors));
  taxonomy.topics.forEach((topic) => {
    if (seen.has(topic.id)) throw new TaxonomyError(file, topic.id, 'id', 'topic listed twice');
    seen.add(topic.id);
    topic.requires?.forEach((name, i) => {
      if (!anchors.has(name)) throw new TaxonomyError(file, topic.id, `requires[${i}]`, `unknown anchor set "${name}"`);
    });
    topic.terms.forEach((group, g) => {
      group.near?.forEach((name, i) => {
        if (!anchors.has(name)) throw new TaxonomyError(file, topic.id, `terms[${g}].near[${i}]`, `unknown anchor set "${name}"`);
      });
      checkTerms(group, file, topic.id, `terms[${g}]`);
    });
    topic.negative?.forEach((group, g) => checkTerms(group, file, topic.id, `negative[${g}]`));
  });
}

function checkTerms(group: Partial<Record<(typeof TERM_LANGUAGES)[number], string[]>>, file: string, topic: string, field: string): void {
  for (const lang of TERM_LANGUAGES) {
    group[lang]?.forEach((term, i) => {
      const prefix = term.endsWith('*');
      if (normaliseTerm(prefix ? term.slice(0, -1) : term, prefix) === '') {
        throw new TaxonomyError(file, topic, `${field}.${lang}[${i}]`, `"${term}" has no letters to match`);
      }
    });
  }
}
