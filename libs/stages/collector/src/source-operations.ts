import { PollOutcome, SourceHealth, SourceRegistry } from '@monitor/feeds';

/**
 * What the API does with sources: list and change them (the registry), read their health, and
 * poll one now. In embedded mode and in the collector service the collector stage does it all
 * in-process; the api service of the stack reads the same shared state and asks the collector
 * process to poll.
 */
export interface SourceOperations {
  readonly registry: SourceRegistry;
  health(sourceId: string): Promise<SourceHealth | undefined>;
  pollNow(sourceId: string): Promise<PollOutcome>;
}

export const SOURCE_OPERATIONS = Symbol('SOURCE_OPERATIONS');
