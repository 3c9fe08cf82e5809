import { DigestPeriod, DigestPeriodStore } from '@monitor/alerts';
import { StateDocuments } from './elastic-requests';
import { StateIndices } from './state-indices';

/**
 * Digests in Elasticsearch under their id, which follows from (subscription, period start)
 * (digestIdFor), created create-only: of replicas racing for one period exactly one is told
 * "created", and every one of them gets the stored digest back. Creates wait for the refresh, so
 * the next period's lastCoveredSeq (a search) sees where this one ended.
 */
export class ElasticDigestPeriods implements DigestPeriodStore {
  private readonly docs: StateDocuments;
  private readonly index: string;

  constructor(indices: StateIndices) {
    this.docs = new StateDocuments(indices.client);
    this.index = indices.name('digests');
  }

  async lastCoveredSeq(subscriptionId: string): Promise<number> {
    const [last] = await this.docs.search<DigestPeriod>(this.index, { query: { term: { subscriptionId } }, sort: [{ toSeq: 'desc' }], size: 1 });
    return last?.source.toSeq ?? 0;
  }

  async create(period: DigestPeriod): Promise<{ isNew: boolean; period: DigestPeriod }> {
    if (await this.docs.create(this.index, period.id, { ...period }, 'wait_for')) return { isNew: true, period };
    const stored = await this.get(period.id);
    if (!stored) throw new Error(`digest ${period.id} was refused as existing but cannot be read`);
    return { isNew: false, period: stored };
  }

  async get(id: string): Promise<DigestPeriod | null> {
    return (await this.docs.get<DigestPeriod>(this.index, id))?.source ?? null;
  }
}
