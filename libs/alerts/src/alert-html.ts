import { Alert, TOPICS } from '@monitor/contracts';

/**
 * Every text in an alert comes from a feed and is hostile until escaped. Hand-written because the
 * five replacements are the whole job and the maintained package (`entities`) is ESM-only, which
 * our CommonJS test setup cannot load.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LABELS = new Map(TOPICS.map((t) => [t.id, t.label]));

export function topicLabel(id: string): string {
  return LABELS.get(id as never) ?? id;
}

/** "heroin" (title), "opium" (text): the evidence terms of each topic, deduplicated. */
export function evidenceSummary(alert: Alert): Array<{ topic: string; score: number; terms: string[] }> {
  return alert.topics.map((t) => ({
    topic: topicLabel(t.id),
    score: t.score,
    terms: [...new Set(t.evidence.map((e) => `${e.term} (${e.field})`))],
  }));
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is left out. */
export function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** "Story: " before the title of a story alert, "Story update: " before an update's; nothing for the other kinds. */
export function kindPrefix(alert: Pick<Alert, 'kind'>): string {
  if (alert.kind === 'story') return 'Story: ';
  if (alert.kind === 'story.updated') return 'Story update: ';
  return '';
}

/**
 * What a message says of the story of a story alert: "3 articles in en, ru, zh from 3 sources:
 * <the story's title>". Null for alerts without a story.
 */
export function storySummaryLine(alert: Pick<Alert, 'story'>): string | null {
  const story = alert.story;
  if (!story) return null;
  const articles = `${story.articleCount} article${story.articleCount === 1 ? '' : 's'}`;
  const sources = `${story.sources.length} source${story.sources.length === 1 ? '' : 's'}`;
  return `${articles} in ${story.languages.join(', ') || 'no language'} from ${sources}: ${story.title}`;
}
