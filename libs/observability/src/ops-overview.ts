import { BUS_TOPICS, CONSUMER_GROUPS, StorySummary } from '@monitor/contracts';
import type { ActivitySnapshot, DeadLetterRecord } from './pipeline-activity';

/**
 * The one document the ops dashboard renders: every source with its health, what each stage did
 * lately, how far each consumer group is behind, and what happened to recent alerts. Built from
 * plain inputs (the api gathers them from the ports), so it is the same in embedded and stack mode.
 */

/** The groups whose lag the dashboard shows, with the topic each consumes. */
export const WATCHED_CONSUMERS: ReadonlyArray<{ group: string; topic: string }> = [
  { group: CONSUMER_GROUPS.classifier, topic: BUS_TOPICS.raw },
  { group: CONSUMER_GROUPS.indexer, topic: BUS_TOPICS.classified },
  { group: CONSUMER_GROUPS.alerter, topic: BUS_TOPICS.classified },
  // Per-story subscriptions are alerted from here: its lag is how late their alerts are.
  { group: CONSUMER_GROUPS.storyAlerter, topic: BUS_TOPICS.stories },
];

export const PIPELINE_STAGES = ['collector', 'classifier', 'indexer', 'alerter'] as const;

export interface SourceInput {
  id: string;
  name: string;
  organisation?: string;
  language?: string;
  enabled: boolean;
  pollIntervalMinutes?: number;
  health?: {
    status: string;
    lastPollAt: string | null;
    lastSuccessAt: string | null;
    lastError: { code: string; message: string } | null;
    consecutiveFailures: number;
    nextPollAt: string | null;
    backingOffUntil: string | null;
    activeUrl: string | null;
    activeKind: string | null;
    /** Article pages the last poll could not read (robots.txt, errors); absent in health saved before it existed. */
    pagesNotRead?: Array<{ url: string; code: string; message: string }>;
    itemsLastDay: number;
  };
}

export interface LagInput {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface AlertInput {
  id: string;
  kind: string;
  articleId?: string;
  title: string;
  url?: string;
  sourceId?: string;
  language?: string;
  publishedAt?: string | null;
  topics: Array<{ id: string; score: number }>;
  /** Story alerts (`story`, `story.updated`): which story, and the story as it stood then. */
  storyId?: string;
  story?: StorySummary;
  createdAt: string;
}

export interface DeliveryInput {
  alertId: string;
  channel: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface OpsOverviewInputs {
  now?: Date;
  sources: SourceInput[];
  activity: ActivitySnapshot;
  /** Stack mode: stage services whose activity could not be read (their figures are missing, not zero). */
  unreachableStages?: Array<{ service: string; url: string; reason: string }>;
  lag: { rows: LagInput[]; checkedAt: string | null; error: string | null };
  alerts: AlertInput[];
  /** Recent push deliveries (webhook, email), any status, newest first. */
  deliveries: DeliveryInput[];
  /** SSE deliveries are the ledger itself; the process's counter says how many went out. */
  streamedAlerts?: number;
}

/** green, amber, red or grey: how the dashboard colours a source. */
export type SourceSeverity = 'ok' | 'warn' | 'error' | 'idle';

export interface SourceRow {
  id: string;
  name: string;
  organisation: string | null;
  language: string | null;
  status: string;
  severity: SourceSeverity;
  /** Why it fails; for a healthy source, why some of its article pages were not read (it stays green: its items went out). */
  reason: string | null;
  pagesNotRead: number;
  consecutiveFailures: number;
  backingOffUntil: string | null;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  nextPollAt: string | null;
  itemsLastDay: number;
  activeUrl: string | null;
}

export interface ChannelSummary {
  channel: string;
  delivered: number;
  failed: number;
  pending: number;
}

export interface OpsOverview {
  generatedAt: string;
  sources: { total: number; healthy: number; failing: number; items: SourceRow[] };
  pipeline: {
    stages: Array<{ stage: string; eventsPerSecond: number }>;
    unreachable: Array<{ service: string; url: string; reason: string }>;
    lag: { checkedAt: string | null; error: string | null; groups: Array<{ group: string; topic: string; total: number; partitions: Array<{ partition: number; lag: number }> }> };
    deadLetters: { total: number; counts: Record<string, number>; latest: DeadLetterRecord[] };
    lastBulk: { size: number; ms: number; at: string } | null;
  };
  alerts: {
    recent: Array<AlertInput & { subscriptions: number }>;
    channels: ChannelSummary[];
    failures: Array<{ alertId: string; channel: string; attempts: number; reason: string; at: string }>;
  };
}

const SEVERITY: Record<string, SourceSeverity> = { healthy: 'ok', 'backing-off': 'warn', failing: 'error', disabled: 'idle', pending: 'idle' };

export function sourceRow(source: SourceInput): SourceRow {
  const health = source.health;
  const status = !source.enabled ? 'disabled' : (health?.status ?? 'pending');
  return {
    id: source.id,
    name: source.name,
    organisation: source.organisation ?? null,
    language: source.language ?? null,
    status,
    severity: SEVERITY[status] ?? 'warn',
    reason: health?.lastError && status !== 'healthy' ? `${health.lastError.code}: ${health.lastError.message}` : status === 'healthy' ? pagesReason(health?.pagesNotRead) : null,
    pagesNotRead: health?.pagesNotRead?.length ?? 0,
    consecutiveFailures: health?.consecutiveFailures ?? 0,
    backingOffUntil: health?.backingOffUntil ?? null,
    lastPollAt: health?.lastPollAt ?? null,
    lastSuccessAt: health?.lastSuccessAt ?? null,
    nextPollAt: status === 'disabled' ? null : (health?.nextPollAt ?? null),
    itemsLastDay: health?.itemsLastDay ?? 0,
    activeUrl: health?.activeUrl ?? null,
  };
}

function pagesReason(pages: Array<{ code: string; message: string }> | undefined): string | null {
  if (!pages?.length) return null;
  const [first] = pages;
  return `${first.code}: ${first.message}` + (pages.length > 1 ? ` (and ${pages.length - 1} more article page${pages.length > 2 ? 's' : ''} not read)` : '');
}

export function buildOpsOverview(inputs: OpsOverviewInputs): OpsOverview {
  const now = inputs.now ?? new Date();
  // Broken sources first: the operator looks at the top of the list.
  const order: Record<SourceSeverity, number> = { error: 0, warn: 1, idle: 2, ok: 3 };
  const rows = inputs.sources.map(sourceRow).sort((a, b) => order[a.severity] - order[b.severity] || a.id.localeCompare(b.id));

  const stages = [...new Set([...PIPELINE_STAGES, ...Object.keys(inputs.activity.eventsPerSecond)])].map((stage) => ({
    stage,
    eventsPerSecond: inputs.activity.eventsPerSecond[stage] ?? 0,
  }));

  const groups = new Map<string, OpsOverview['pipeline']['lag']['groups'][number]>();
  for (const row of inputs.lag.rows) {
    const key = `${row.group}\n${row.topic}`;
    if (!groups.has(key)) groups.set(key, { group: row.group, topic: row.topic, total: 0, partitions: [] });
    const group = groups.get(key)!;
    group.total += row.lag;
    group.partitions.push({ partition: row.partition, lag: row.lag });
  }
  for (const group of groups.values()) group.partitions.sort((a, b) => a.partition - b.partition);

  const channels = new Map<string, ChannelSummary>();
  if (inputs.streamedAlerts !== undefined) channels.set('sse', { channel: 'sse', delivered: inputs.streamedAlerts, failed: 0, pending: 0 });
  for (const d of inputs.deliveries) {
    if (!channels.has(d.channel)) channels.set(d.channel, { channel: d.channel, delivered: 0, failed: 0, pending: 0 });
    channels.get(d.channel)![d.status] += 1;
  }

  const counts = inputs.activity.deadLetters.counts;
  return {
    generatedAt: now.toISOString(),
    sources: {
      total: rows.length,
      healthy: rows.filter((r) => r.severity === 'ok').length,
      failing: rows.filter((r) => r.severity === 'error' || r.severity === 'warn').length,
      items: rows,
    },
    pipeline: {
      stages,
      unreachable: inputs.unreachableStages ?? [],
      lag: { checkedAt: inputs.lag.checkedAt, error: inputs.lag.error, groups: [...groups.values()] },
      deadLetters: { total: Object.values(counts).reduce((a, b) => a + b, 0), counts, latest: inputs.activity.deadLetters.latest },
      lastBulk: inputs.activity.lastBulk,
    },
    alerts: {
      recent: recentAlerts(inputs.alerts),
      channels: [...channels.values()],
      failures: inputs.deliveries
        .filter((d) => d.status === 'failed')
        .slice(0, 20)
        .map((d) => ({ alertId: d.alertId, channel: d.channel, attempts: d.attempts, reason: d.lastError ?? 'unknown', at: d.updatedAt })),
    },
  };
}

function recentAlerts(alerts: AlertInput[]): Array<AlertInput & { subscriptions: number }> {
  const bySubject = new Map<string, AlertInput & { subscriptions: number }>();
  for (const alert of alerts) {
    // A story alerts each subscription once, perhaps each on another of its articles: one row per story.
    const subject = alert.kind === 'story' && alert.storyId ? `story:${alert.storyId}` : (alert.articleId ?? `${alert.kind}:${alert.title}`);
    const seen = bySubject.get(subject);
    if (seen) seen.subscriptions += 1;
    else bySubject.set(subject, { ...publicAlert(alert), subscriptions: 1 });
  }
  return [...bySubject.values()];
}

// The overview is readable without a key (like /sources), so an alert shows what it is about,
// never whose it is: owner key and subscription stay out.
function publicAlert(alert: AlertInput): AlertInput {
  return {
    id: alert.id,
    kind: alert.kind,
    articleId: alert.articleId,
    title: alert.title,
    url: alert.url,
    sourceId: alert.sourceId,
    language: alert.language,
    publishedAt: alert.publishedAt ?? null,
    topics: alert.topics.map((t) => ({ id: t.id, score: t.score })),
    ...(alert.storyId ? { storyId: alert.storyId } : {}),
    ...(alert.story ? { story: alert.story } : {}),
    createdAt: alert.createdAt,
  };
}
