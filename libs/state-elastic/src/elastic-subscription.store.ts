import { estypes } from '@elastic/elasticsearch';
import {
  Subscription,
  SubscriptionChange,
  SubscriptionConflictError,
  SubscriptionNotFoundError,
  SubscriptionStore,
  newSubscription,
  patchedSubscription,
} from '@monitor/alerts';
import { StateDocuments, Versioned } from './elastic-requests';
import { StateIndices } from './state-indices';

interface SubscriptionDoc {
  id: string;
  ownerKeyId: string;
  createdAt: string;
  subscription: Subscription;
}

// The revision is the version of one document that every subscription write re-indexes:
// Elasticsearch raises a document's _version by exactly one per write, atomically, from any
// writer, which is the counter the port asks for, without scripting.
const REVISION_ID = 'subscriptions-revision';
const BY_CREATION: estypes.Sort = [{ createdAt: 'asc' }, { id: 'asc' }];

/**
 * Subscriptions in Elasticsearch, one document per subscription under its id. Writes wait for
 * the refresh before they bump the revision, so a replica that sees the new revision and reloads
 * (a search) finds the change. Updates and deletes are conditional on the version they read
 * (if_seq_no / if_primary_term): of two writers racing on one subscription the second is told
 * (SubscriptionConflictError), instead of silently undoing the first.
 */
export class ElasticSubscriptionStore implements SubscriptionStore {
  private readonly listeners = new Set<(change: SubscriptionChange) => void>();
  private readonly docs: StateDocuments;
  private readonly index: string;
  private readonly meta: string;

  constructor(
    indices: StateIndices,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.docs = new StateDocuments(indices.client);
    this.index = indices.name('subscriptions');
    this.meta = indices.name('meta');
  }

  async create(ownerKeyId: string, input: unknown): Promise<Subscription> {
    const subscription = newSubscription(ownerKeyId, input, this.now().toISOString());
    if (!(await this.docs.create(this.index, subscription.id, toDoc(subscription), 'wait_for'))) throw new SubscriptionConflictError(subscription.id);
    return this.changed({ type: 'upsert', subscription });
  }

  async get(ownerKeyId: string, id: string): Promise<Subscription> {
    return (await this.owned(ownerKeyId, id)).source.subscription;
  }

  async listByOwner(ownerKeyId: string): Promise<Subscription[]> {
    return (await this.docs.searchAll<SubscriptionDoc>(this.index, { term: { ownerKeyId } }, BY_CREATION)).map((d) => d.source.subscription);
  }

  async update(ownerKeyId: string, id: string, patch: unknown): Promise<Subscription> {
    const read = await this.owned(ownerKeyId, id);
    const updated = patchedSubscription(read.source.subscription, patch, this.now().toISOString());
    if (!(await this.docs.replaceIf(this.index, read, toDoc(updated), 'wait_for'))) throw new SubscriptionConflictError(id);
    return this.changed({ type: 'upsert', subscription: updated });
  }

  async delete(ownerKeyId: string, id: string): Promise<void> {
    const read = await this.owned(ownerKeyId, id);
    if (!(await this.docs.deleteIf(this.index, read, 'wait_for'))) {
      if (!(await this.docs.get(this.index, id))) throw new SubscriptionNotFoundError(id);
      throw new SubscriptionConflictError(id);
    }
    await this.changed({ type: 'delete', subscription: read.source.subscription });
  }

  async all(): Promise<Subscription[]> {
    return (await this.docs.searchAll<SubscriptionDoc>(this.index, { match_all: {} }, [{ id: 'asc' }])).map((d) => d.source.subscription);
  }

  async findById(id: string): Promise<Subscription | null> {
    return (await this.docs.get<SubscriptionDoc>(this.index, id))?.source.subscription ?? null;
  }

  async revision(): Promise<number> {
    return (await this.docs.get(this.meta, REVISION_ID))?.version ?? 0;
  }

  onChange(listener: (change: SubscriptionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async owned(ownerKeyId: string, id: string): Promise<Versioned<SubscriptionDoc>> {
    const read = await this.docs.get<SubscriptionDoc>(this.index, id);
    if (!read || read.source.ownerKeyId !== ownerKeyId) throw new SubscriptionNotFoundError(id);
    return read;
  }

  private async changed(change: SubscriptionChange): Promise<Subscription> {
    await this.docs.put(this.meta, REVISION_ID, { value: change.subscription.id }, false);
    for (const listener of this.listeners) listener(change);
    return change.subscription;
  }
}

function toDoc(subscription: Subscription): SubscriptionDoc {
  return { id: subscription.id, ownerKeyId: subscription.ownerKeyId, createdAt: subscription.createdAt, subscription };
}
