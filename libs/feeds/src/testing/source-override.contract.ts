import type { SourceConfig } from '../source-config';
import type { SourceOverride, SourceOverrideStore } from '../source-override.port';

export interface SourceOverrideContractContext {
  create(): Promise<SourceOverrideStore>;
  /** Another instance over what `store` wrote: the same process after a restart, or another replica. */
  reopen(store: SourceOverrideStore): Promise<SourceOverrideStore>;
  source: SourceConfig;
  /** How long a change may take to reach another instance that is already running (default: none, it sees it at once). */
  propagationMs?: number;
}

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const bySource = (overrides: SourceOverride[]) => [...overrides].sort((a, b) => a.sourceId.localeCompare(b.sourceId));

/** The behaviour every SourceOverrideStore adapter must have, from one process and from several. */
export function describeSourceOverrideContract(name: string, context: SourceOverrideContractContext): void {
  describe(`SourceOverrideStore contract: ${name}`, () => {
    it('starts empty, keeps one override per source, the latest put wins, and the writer reads its own write at once', async () => {
      const store = await context.create();
      expect(store.all()).toEqual([]);
      const added = { sourceId: context.source.id, config: context.source, enabled: null, removed: false };
      const writing = store.put(added);
      expect(store.all()).toEqual([added]);
      await writing;
      await store.put({ sourceId: 'other', config: null, enabled: false, removed: false });
      await store.put({ sourceId: context.source.id, config: context.source, enabled: true, removed: false });
      expect(bySource(store.all())).toEqual(
        bySource([
          { sourceId: 'other', config: null, enabled: false, removed: false },
          { sourceId: context.source.id, config: context.source, enabled: true, removed: false },
        ]),
      );
    });

    it('keeps overrides across a restart', async () => {
      const store = await context.create();
      await store.put({ sourceId: context.source.id, config: null, enabled: null, removed: true });
      expect((await context.reopen(store)).all()).toEqual([{ sourceId: context.source.id, config: null, enabled: null, removed: true }]);
    });

    it('shows a put made by another running instance within a bounded time, and tells its listeners', async () => {
      const writer = await context.create();
      const reader = await context.reopen(writer);
      let told = 0;
      reader.onChange?.(() => told++);
      const change = { sourceId: context.source.id, config: null, enabled: false, removed: false };
      await writer.put(change);
      const wait = context.propagationMs ?? 0;
      await eventually(() => reader.all().some((o) => o.sourceId === change.sourceId && o.enabled === false), wait, 'the change to reach the other instance');
      if (reader.onChange) await eventually(() => told > 0, wait, 'the listener to be told');
      expect(reader.all()).toEqual([change]);
    });
  });
}
