import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { NOT_BLANK_PATTERN, zodProblem } from '@monitor/contracts';
import { HTTP_URL_PATTERN } from '@monitor/outbound-http';
import { SourceConfigError } from './feed-errors';

const httpUrl = z.string().max(2000).url().regex(new RegExp(HTTP_URL_PATTERN), 'must be an http or https URL without credentials');

// Trimmed before the length is checked, so "  " is empty: the pattern says so to JSON Schema.
const nonBlank = () => z.string().trim().min(1).meta({ pattern: NOT_BLANK_PATTERN });

const selector = nonBlank();

export const ListingSelectorsSchema = z
  .object({
    /** One element per news item on the listing page. */
    item: selector,
    /** The item's link, inside the item element (default: the item itself if it is <a>, else its first a[href]). */
    link: selector.optional(),
    /** The item's title (default: the link's text). */
    title: selector.optional(),
    /** The item's date text, parsed leniently in several languages. */
    date: selector.optional(),
    /** A teaser paragraph, used as the content when the article page is not fetched. */
    summary: selector.optional(),
  })
  .strict();

export const ArticleSelectorsSchema = z
  .object({
    /** The article body (fallback: <article>, <main>, or the largest block of paragraphs). */
    content: selector.optional(),
    title: selector.optional(),
    date: selector.optional(),
  })
  .strict();

export const CandidateSchema = z
  .object({
    url: httpUrl,
    /** feed: RSS/Atom/RDF/JSON Feed, detected from the body; listing: an HTML page read with `listing` selectors. */
    kind: z.enum(['feed', 'listing']),
  })
  .strict();

/** A source's id: lower-case letters, digits and dashes, at most 64. */
export const SOURCE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

export const SourceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes only').max(64),
    name: nonBlank(),
    organisation: nonBlank(),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code such as en, ru, zh'),
    enabled: z.boolean().default(true),
    pollIntervalMinutes: z.number().int().min(1).max(7 * 24 * 60).default(30),
    candidates: z.array(CandidateSchema).min(1, 'at least one candidate URL'),
    listing: ListingSelectorsSchema.optional(),
    article: ArticleSelectorsSchema.optional(),
    /** Most article pages fetched per poll (the rest wait for the next poll). */
    maxArticlesPerPoll: z.number().int().min(0).max(200).default(20),
  })
  .strict()
  .superRefine((source, ctx) => {
    if (source.candidates.some((c) => c.kind === 'listing') && !source.listing) {
      ctx.addIssue({ code: 'custom', path: ['listing'], message: 'required when a candidate has kind: listing' });
    }
  })
  // The check above in JSON Schema, for the API's OpenAPI document.
  .meta({
    if: { required: ['candidates'], properties: { candidates: { contains: { required: ['kind'], properties: { kind: { const: 'listing' } } } } } },
    then: { required: ['listing'] },
  });

export type SourceConfig = z.infer<typeof SourceConfigSchema>;
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;
export type SourceCandidate = z.infer<typeof CandidateSchema>;
export type ListingSelectors = z.infer<typeof ListingSelectorsSchema>;
export type ArticleSelectors = z.infer<typeof ArticleSelectorsSchema>;

const SourcesFileSchema = z.object({ sources: z.array(z.unknown()) }).strict();

/** Validates one source (from the file or the API); the error names the field. */
export function parseSourceConfig(value: unknown, where = 'source'): SourceConfig {
  const result = SourceConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const { field, message } = zodProblem(result.error);
  throw new SourceConfigError(`${where}: ${field}: ${message}`, field, { cause: result.error });
}

/** Parses the sources file's text; errors name the file, the source's index and id, and the field. */
export function parseSourcesYaml(text: string, fileName: string): SourceConfig[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (error) {
    throw new SourceConfigError(`${fileName}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, undefined, { cause: error });
  }
  const file = SourcesFileSchema.safeParse(doc);
  if (!file.success) throw new SourceConfigError(`${fileName}: expected a top-level 'sources:' list`, 'sources');
  const seen = new Set<string>();
  return file.data.sources.map((raw, index) => {
    const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const where = `${fileName}: sources[${index}]${id ? ` (id ${id})` : ''}`;
    const source = parseSourceConfig(raw, where);
    if (seen.has(source.id)) throw new SourceConfigError(`${where}: id: duplicate id '${source.id}'`, 'id');
    seen.add(source.id);
    return source;
  });
}

export function loadSourcesFile(path: string): SourceConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SourceConfigError(`${path}: cannot read the sources file: ${(error as Error).message}`, undefined, { cause: error });
  }
  return parseSourcesYaml(text, path);
}
