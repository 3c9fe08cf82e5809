import { isTopicId, ValidationError, validationErrorFromZod, type TopicId } from '@monitor/contracts';
import { z } from 'zod';
import incbEn from '../content/incb-en.json';
import scoEn from '../content/sco-en.json';
import scoRu from '../content/sco-ru.json';
import scoZh from '../content/sco-zh.json';
import unNewsEn from '../content/un-news-en.json';
import unNewsRu from '../content/un-news-ru.json';
import unNewsZh from '../content/un-news-zh.json';
import unodcEn from '../content/unodc-en.json';
import { DEMO_SOURCE_IDS, type DemoLanguage, type DemoSourceId } from './demo-site-map';

/**
 * The sample texts are dated relative to this moment. Serving shifts every date by (now - this),
 * so the newest item is always a few hours old and the oldest about a month old.
 */
export const SAMPLE_REFERENCE_DATE = new Date('2025-11-20T12:00:00Z');

export interface SampleAnnouncement {
  /** Stable id, e.g. `sco-en-spider-web-results`; also the slug of UNODC/INCB page URLs. */
  id: string;
  /** The page number in SCO and UN News style URLs (/YYYYMMDD/NNNNNN.html, /story/YYYY/MM/NNNNNNN). */
  number: number;
  source: DemoSourceId;
  language: DemoLanguage;
  title: string;
  /** ISO 8601 UTC; relative to SAMPLE_REFERENCE_DATE unless loaded with `now`. */
  publishedAt: string;
  /** What a careful analyst would assign; empty for items that are not about drugs. */
  topics: TopicId[];
  /** Why these topics (or none): the analyst's reasoning, for people reading test failures. */
  notes: string;
  paragraphs: string[];
  /** The paragraphs joined by blank lines. */
  text: string;
  /** The first paragraph, as feeds carry it in description/summary. */
  summary: string;
}

/** An announcement as the demo site serves it: dates shifted to now, and the page's address. */
export interface PublishedAnnouncement extends SampleAnnouncement {
  url: string;
}

const SampleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    number: z.number().int().positive(),
    source: z.enum(DEMO_SOURCE_IDS),
    language: z.enum(['en', 'ru', 'zh']),
    publishedAt: z.iso.datetime(),
    title: z.string().trim().min(1),
    topics: z.array(z.string().refine(isTopicId, { message: 'not a topic id from @monitor/contracts' })),
    notes: z.string(),
    paragraphs: z.array(z.string().trim().min(1)).min(1),
  })
  .strict();

const CONTENT_FILES: Record<string, unknown[]> = {
  'sco-en.json': scoEn,
  'sco-ru.json': scoRu,
  'sco-zh.json': scoZh,
  'un-news-en.json': unNewsEn,
  'un-news-ru.json': unNewsRu,
  'un-news-zh.json': unNewsZh,
  'unodc-en.json': unodcEn,
  'incb-en.json': incbEn,
};

let validated: SampleAnnouncement[] | undefined;

/**
 * The project's own sample announcements (about 45, in English, Russian and Chinese, on every
 * topic and off them), validated against the topic contract. With `now`, dates are shifted so
 * the set looks fresh at that moment. Each call returns fresh copies.
 */
export function loadSampleAnnouncements(options: { now?: Date } = {}): SampleAnnouncement[] {
  validated ??= validateContent();
  const offset = options.now ? options.now.getTime() - SAMPLE_REFERENCE_DATE.getTime() : 0;
  return validated.map((sample) => ({
    ...sample,
    topics: [...sample.topics],
    paragraphs: [...sample.paragraphs],
    publishedAt: offset ? new Date(Date.parse(sample.publishedAt) + offset).toISOString() : sample.publishedAt,
  }));
}

function validateContent(): SampleAnnouncement[] {
  const samples: SampleAnnouncement[] = [];
  const ids = new Set<string>();
  for (const [file, entries] of Object.entries(CONTENT_FILES)) {
    entries.forEach((entry, index) => {
      const parsed = SampleSchema.safeParse(entry);
      if (!parsed.success) throw validationErrorFromZod(parsed.error, { context: `libs/demo/content/${file}[${index}]` });
      const sample = parsed.data;
      if (ids.has(sample.id)) throw new ValidationError(`libs/demo/content/${file}[${index}]: duplicate id '${sample.id}'`, 'id');
      ids.add(sample.id);
      samples.push({
        ...sample,
        publishedAt: new Date(sample.publishedAt).toISOString(),
        topics: sample.topics as TopicId[],
        text: sample.paragraphs.join('\n\n'),
        summary: sample.paragraphs[0],
      });
    });
  }
  return samples;
}
