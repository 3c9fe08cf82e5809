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

  create(ownerKeyId: string, input: unknown): Subscription {
    return this.write('upsert', newSubscription(ownerKeyId, input, this.now().toISOString()));
  }

  get(ownerKeyId: string, id: string): Subscription {
    const found = this.shared.byId.get(id);
    if (!found || found.ownerKeyId !== ownerKeyId) throw new SubscriptionNotFoundError(id);
    return structuredClone(found);
  }

  listByOwner(ownerKeyId: string): Subscription[] {
    return this.sorted((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).filter((s) => s.ownerKeyId === ownerKeyId);
  }

  update(ownerKeyId: string, id: string, patch: unknown): Subscription {
    return this.write('upsert', patchedSubscription(this.get(ownerKeyId, id), patch, this.now().toISOString()));
  }

  delete(ownerKeyId: string, id: string): void {
    this.write('delete', this.get(ownerKeyId, id));
  }

  all(): Subscription[] {
    return this.sorted((a, b) => a.id.localeCompare(b.id));
  }

  findById(id: string): Subscription | null {
    const found = this.shared.byId.get(id);
    return found ? structuredClone(found) : null;
  }

  revision(): number {
    return this.shared.revision;
  }

  onChange(listener: (change: SubscriptionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
