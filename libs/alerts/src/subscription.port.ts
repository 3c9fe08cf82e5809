import { Subscription } from './subscription';

/**
 * Where subscriptions live. Every read and write is scoped to the owning API key: a subscription of
 * another key is "not found", never "forbidden", so ids reveal nothing. The embedded adapter keeps
 * them in the shared SQLite file; a stack adapter can follow without touching callers.
 */
export const SUBSCRIPTION_STORE = Symbol('SUBSCRIPTION_STORE');

export interface SubscriptionChange {
  type: 'upsert' | 'delete';
  subscription: Subscription;
}

export interface SubscriptionStore {
  /** Validates the body (ValidationError naming the field) and stores a new subscription. */
  create(ownerKeyId: string, input: unknown): Promise<Subscription>;
  /** Throws SubscriptionNotFoundError when the id is unknown or owned by another key. */
  get(ownerKeyId: string, id: string): Promise<Subscription>;
  listByOwner(ownerKeyId: string): Promise<Subscription[]>;
  /**
   * Merges the given top-level fields into the subscription and validates the result. When another
   * writer changed the subscription between the read and the write, rejects with
   * SubscriptionConflictError (retriable) instead of overwriting that change.
   */
  update(ownerKeyId: string, id: string, patch: unknown): Promise<Subscription>;
  /** Throws SubscriptionNotFoundError when the id is unknown or owned by another key. */
  delete(ownerKeyId: string, id: string): Promise<void>;
  /** Every subscription, for building the matcher at start-up (not scoped: internal use only). */
  all(): Promise<Subscription[]>;
  /** Internal lookup by id across owners (delivery, digests); null when unknown. */
  findById(id: string): Promise<Subscription | null>;
  /**
   * A counter that grows with every write by any process sharing the store: a matcher in another
   * replica compares it to reload only when something changed.
   */
  revision(): Promise<number>;
  /** Called after each change made through this instance. Returns an unsubscribe function. */
  onChange(listener: (change: SubscriptionChange) => void): () => void;
}
