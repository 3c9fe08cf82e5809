import type { SourceConfig } from '../source-config';
import type { SourceOverrideStore } from '../source-override.port';

/** The behaviour every SourceOverrideStore adapter must have. `reopen` reads what `create` wrote, as after a restart. */
export function describeSourceOverrideContract(
  name: string,
  context: { create(): SourceOverrideStore; reopen(store: SourceOverrideStore): SourceOverrideStore; source: SourceConfig },
): void {
  describe(`SourceOverrideStore contract: ${name}`, () => {
    it('starts empty, keeps one override per source, and the latest put wins', () => {
      const store = context.create();
      expect(store.all()).toEqual([]);
      store.put({ sourceId: context.source.id, config: context.source, enabled: null, removed: false });
      store.put({ sourceId: 'other', config: null, enabled: false, removed: false });
      store.put({ sourceId: context.source.id, config: context.source, enabled: true, removed: false });
      const all = store.all().sort((a, b) => a.sourceId.localeCompare(b.sourceId));
      expect(all).toEqual([
        { sourceId: 'other', config: null, enabled: false, removed: false },
        { sourceId: context.source.id, config: context.source, enabled: true, removed: false },
      ].sort((a, b) => a.sourceId.localeCompare(b.sourceId)));
    });

    it('keeps overrides across a restart', () => {
      const store = context.create();
      store.put({ sourceId: context.source.id, config: null, enabled: null, removed: true });
      expect(context.reopen(store).all()).toEqual([{ sourceId: context.source.id, config: null, enabled: null, removed: true }]);
    });
  });
}
