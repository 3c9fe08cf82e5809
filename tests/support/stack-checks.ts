import { Client } from '@elastic/elasticsearch';
import { Agent, fetch } from 'undici';
import { eventually } from './monitor-process';
import { SseClient } from './sse-client';

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * The test's idle connections close after 10 s, far inside the services' 65 s, whatever the
 * server's Keep-Alive hint: a test process slowed by a loaded machine must not send a request on a
 * connection the server is closing and read that as the api failing.
 */
const apiConnections = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 10_000 });

/** The api service over HTTP on loopback, as a user or operator talks to it. */
export class StackApi {
  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {}

  async request(path: string, init: { method?: string; key?: string; body?: unknown } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.key) headers['X-API-Key'] = init.key;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(60_000),
      dispatcher: apiConnections,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: response.status, body };
  }

  /** An analyst key minted with the admin key, and a per-article subscription of that analyst to the topics. */
  async subscribeAnalyst(topics: string[]): Promise<{ key: string; subscriptionId: string }> {
    const minted = await this.request('/admin/keys', { method: 'POST', key: this.adminKey, body: { name: 'stack-test analyst' } });
    if (minted.status !== 201) throw new Error(`POST /admin/keys answered ${minted.status}: ${JSON.stringify(minted.body)}`);
    const key: string = minted.body.key;
    const created = await this.request('/subscriptions', { method: 'POST', key, body: { name: 'stack test', topics, per: 'article' } });
    if (created.status !== 201) throw new Error(`POST /subscriptions answered ${created.status}: ${JSON.stringify(created.body)}`);
    return { key, subscriptionId: created.body.id };
  }

  async poll(sourceId: string): Promise<ApiAnswer> {
    return this.request(`/sources/${encodeURIComponent(sourceId)}/poll`, { method: 'POST', key: this.adminKey });
  }

  /** Every alert in the analyst's ledger (GET /alerts, paged by sequence number). */
  async ledger(key: string): Promise<{ seq: number; subscriptionId: string; articleId?: string }[]> {
    const all: { seq: number; subscriptionId: string; articleId?: string }[] = [];
    for (;;) {
      const after = all.length ? all[all.length - 1].seq : 0;
      const page = await this.request(`/alerts?after=${after}&limit=500`, { key });
      if (page.status !== 200) throw new Error(`GET /alerts answered ${page.status}`);
      all.push(...page.body);
      if (page.body.length < 500) return all;
    }
  }
}

/** The analyst's alert stream (SSE), counted per article for one subscription. */
export class AlertStream {
  private constructor(private readonly client: SseClient) {}

  static async open(api: StackApi, key: string): Promise<AlertStream> {
    const client = await SseClient.connect(`${api.baseUrl}/alerts/stream`, { 'X-API-Key': key, 'Last-Event-ID': '0' });
    if (client.status !== 200) throw new Error(`GET /alerts/stream answered ${client.status}`);
    return new AlertStream(client);
  }

  countsFor(subscriptionId: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const event of this.client.events) {
      if (!event.data.startsWith('{')) continue;
      const alert = JSON.parse(event.data) as { subscriptionId?: string; articleId?: string };
      if (alert.subscriptionId !== subscriptionId || !alert.articleId) continue;
      counts.set(alert.articleId, (counts.get(alert.articleId) ?? 0) + 1);
    }
    return counts;
  }

  close(): void {
    this.client.close();
  }
}

/** Documents per article id in the stack's index, asked of Elasticsearch itself. */
export async function indexedCounts(elasticsearchUrl: string, alias: string): Promise<Map<string, number>> {
  const client = new Client({ node: elasticsearchUrl, requestTimeout: 10_000, maxRetries: 0 });
  try {
    await client.indices.refresh({ index: alias });
    const counts = new Map<string, number>();
    let after: Record<string, string> | undefined;
    // A composite aggregation pages through every id however many there are.
    for (;;) {
      const response = await client.search({
        index: alias,
        size: 0,
        aggs: { ids: { composite: { size: 5_000, sources: [{ id: { terms: { field: 'id' } } }], ...(after ? { after } : {}) } } },
      });
      const ids = response.aggregations?.ids as { buckets: { key: { id: string }; doc_count: number }[]; after_key?: Record<string, string> };
      for (const bucket of ids.buckets) counts.set(bucket.key.id, bucket.doc_count);
      if (!ids.after_key || ids.buckets.length === 0) return counts;
      after = ids.after_key;
    }
  } finally {
    await client.close();
  }
}

export interface ExactlyOnceExpectation {
  api: StackApi;
  elasticsearchUrl: string;
  alias: string;
  /** Every article that must be indexed once (and no other). */
  ids: string[];
  /** Every article the subscription must be alerted to once (and no other). */
  alertIds: string[];
  alerts: AlertStream;
  analystKey: string;
  subscriptionId: string;
  /** The search filter that selects the articles of this test. */
  searchFilter: string;
  timeoutMs?: number;
}

/**
 * Waits until every article is indexed and alerted, gives late duplicates a moment to show, then
 * checks: each id is one document in Elasticsearch and nothing else is there; the api's search
 * total agrees; the SSE stream and the ledger hold exactly one alert per alerted article.
 */
export async function expectExactlyOnce(expectation: ExactlyOnceExpectation): Promise<void> {
  const { api, elasticsearchUrl, alias, ids, alertIds, alerts, subscriptionId } = expectation;
  const timeoutMs = expectation.timeoutMs ?? 120_000;
  const expected = new Set(ids);
  const expectedAlerts = new Set(alertIds);
  const missing = async (): Promise<string> => {
    const counts = await indexedCounts(elasticsearchUrl, alias);
    const notIndexed = ids.filter((id) => !counts.has(id)).length;
    const alerted = alerts.countsFor(subscriptionId);
    const notAlerted = alertIds.filter((id) => !alerted.has(id)).length;
    return notIndexed || notAlerted ? `${notIndexed} of ${ids.length} not indexed, ${notAlerted} of ${alertIds.length} not alerted` : '';
  };
  let last = '';
  await eventually(
    async () => {
      last = await missing();
      return last === '';
    },
    `every article indexed and alerted (${last || 'no answer yet'})`,
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last state: ${last}`);
  });
  // Duplicates would come from a replay that is still under way: let it land before counting.
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  const counts = await indexedCounts(elasticsearchUrl, alias);
  const doubled = [...counts].filter(([, count]) => count !== 1);
  const unexpected = [...counts.keys()].filter((id) => !expected.has(id));
  expect({ doubled, unexpected, documents: counts.size }).toEqual({ doubled: [], unexpected: [], documents: expected.size });

  const search = await api.request(`/search?${expectation.searchFilter}&size=1`);
  expect(search.status).toBe(200);
  expect(search.body.total).toBe(expected.size);

  const streamed = alerts.countsFor(subscriptionId);
  const streamedTwice = [...streamed].filter(([, count]) => count !== 1);
  const streamedWrongly = [...streamed.keys()].filter((id) => !expectedAlerts.has(id));
  expect({ streamedTwice, streamedWrongly, alerted: streamed.size }).toEqual({ streamedTwice: [], streamedWrongly: [], alerted: expectedAlerts.size });

  const ledger = (await api.ledger(expectation.analystKey)).filter((entry) => entry.subscriptionId === subscriptionId);
  const ledgerIds = ledger.map((entry) => entry.articleId);
  expect(ledger).toHaveLength(expectedAlerts.size);
  expect(new Set(ledgerIds).size).toBe(expectedAlerts.size);
  expect(ledgerIds.every((id) => id !== undefined && expectedAlerts.has(id))).toBe(true);
}

/** Waits until every service is ready (/ready answers 200: its Kafka and Elasticsearch answer; a restarted server may take a moment). */
export async function expectHealthy(urls: string[], timeoutMs = 60_000): Promise<void> {
  for (const url of urls) {
    await eventually(async () => (await fetch(`${url}/ready`)).status === 200, `${url}/ready to answer 200`, timeoutMs);
  }
}
