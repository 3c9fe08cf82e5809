import { SubscriptionNotFoundError } from '../alert-errors';
import { Subscription } from '../subscription';
import { SubscriptionChange, SubscriptionStore } from '../subscription.port';
import { newSubscription, patchedSubscription } from '../subscription-write';

interface Shared {
  byId: Map<string, Subscription>;
  revision: number;
}

/** Subscriptions in memory, for tests of what uses the port. */
export class MemorySubscriptionStore implements SubscriptionStore {
  private readonly listeners = new Set<(change: SubscriptionChange) => void>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly shared: Shared = { byId: new Map(), revision: 0 },
  ) {}

  /** Another instance over the same subscriptions, as a replica sharing the store has (its own listeners). */
  sibling(): MemorySubscriptionStore {
    return new MemorySubscriptionStore(this.now, this.shared);
  }

  async create(ownerKeyId: string, input: unknown): Promise<Subscription> {
    return this.write('upsert', newSubscription(ownerKeyId, input, this.now().toISOString()));
  }

  async get(ownerKeyId: string, id: string): Promise<Subscription> {
    return this.owned(ownerKeyId, id);
  }

  async listByOwner(ownerKeyId: string): Promise<Subscription[]> {
    return this.sorted((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).filter((s) => s.ownerKeyId === ownerKeyId);
  }

  async update(ownerKeyId: string, id: string, patch: unknown): Promise<Subscription> {
    return this.write('upsert', patchedSubscription(this.owned(ownerKeyId, id), patch, this.now().toISOString()));
  }

  async delete(ownerKeyId: string, id: string): Promise<void> {
    this.write('delete', this.owned(ownerKeyId, id));
  }

  async all(): Promise<Subscription[]> {
    return this.sorted((a, b) => a.id.localeCompare(b.id));
  }

  async findById(id: string): Promise<Subscription | null> {
    const found = this.shared.byId.get(id);
    return found ? structuredClone(found) : null;
  }

  async revision(): Promise<number> {
    return this.shared.revision;
  }

  onChange(listener: (change: SubscriptionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores a subscription as given, unchecked: what an older release left behind (tests of stored data). */
  storeAsIs(subscription: Subscription): void {
    this.write('upsert', subscription);
  }

  // Read and written with no await between, so that two updates cannot interleave and lose one.
  private owned(ownerKeyId: string, id: string): Subscription {
    const found = this.shared.byId.get(id);
    if (!found || found.ownerKeyId !== ownerKeyId) throw new SubscriptionNotFoundError(id);
    return structuredClone(found);
  }

  private write(type: SubscriptionChange['type'], subscription: Subscription): Subscription {
    if (type === 'delete') this.shared.byId.delete(subscription.id);
    else this.shared.byId.set(subscription.id, structuredClone(subscription));
    this.shared.revision += 1;
    for (const listener of this.listeners) listener({ type, subscription });
    return subscription;
  }

  private sorted(order: (a: Subscription, b: Subscription) => number): Subscription[] {
    return [...this.shared.byId.values()].sort(order).map((s) => structuredClone(s));
  }
}
