/**
 * Assigns corpus items to the dev or the held-out part, once. Not at random: items are grouped by
 * source and year, and whole groups go to one side, the most recent groups of each language to the
 * held-out part until it holds about `heldoutShare` of that language. Two retellings of the same
 * source's coverage of one period then never sit on both sides, and the held-out part asks what a
 * monitor meets in use: newer articles, worded as its sources write now.
 *
 * An item already in split.tsv keeps its part: the split is frozen, and only new items are placed.
 */
import type { CorpusItem, CorpusPart } from './labelled-corpus';

export interface SplitOptions {
  /** Share of each language held out while the held-out part still grows. */
  heldoutShare?: number;
  /**
   * The held-out part takes no new source-year group: new groups go to the dev part. A new item
   * of a source and year already held out still joins it, so no group straddles the split.
   */
  heldoutFrozen?: boolean;
  /**
   * New items that go to the held-out part whatever the share or the freeze: a measuring batch,
   * written from sources the corpus never had and placed before anyone reads it. Its source-year
   * groups must have no item in the dev part.
   */
  holdOut?: (item: CorpusItem) => boolean;
}

export function assignParts(items: CorpusItem[], existing: Map<string, CorpusPart>, options: SplitOptions = {}): Map<string, CorpusPart> {
  const { heldoutShare = 0.35, heldoutFrozen = false, holdOut = () => false } = options;
  const parts = new Map(existing);
  const byLanguage = new Map<string, CorpusItem[]>();
  for (const item of items) {
    if (parts.has(item.id)) continue;
    byLanguage.set(item.lang, [...(byLanguage.get(item.lang) ?? []), item]);
  }
  const groupKey = (item: CorpusItem): string => `${item.lang}|${item.source}|${item.published.slice(0, 4)}`;
  // A new item of a source and year already placed joins that part, so no group straddles the split.
  const placedGroups = new Map<string, CorpusPart>();
  for (const item of items) {
    const part = existing.get(item.id);
    if (part) placedGroups.set(groupKey(item), part);
  }
  for (const [lang, fresh] of byLanguage) {
    const groups = new Map<string, CorpusItem[]>();
    for (const item of fresh) {
      const joined = placedGroups.get(groupKey(item));
      if (holdOut(item)) {
        if (joined === 'dev') throw new Error(`${item.id}: its source and year (${groupKey(item)}) already have items in the dev part, so it cannot be held out`);
        parts.set(item.id, 'heldout');
        continue;
      }
      if (joined) {
        parts.set(item.id, joined);
        continue;
      }
      const key = groupKey(item);
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    // Newest groups first (by their latest item); ties by key, so the result does not depend on file order.
    const ordered = [...groups.entries()].sort(([ka, a], [kb, b]) => latest(b).localeCompare(latest(a)) || ka.localeCompare(kb));
    const all = items.filter((i) => i.lang === lang);
    let heldout = all.filter((i) => parts.get(i.id) === 'heldout').length;
    const target = Math.round(all.length * heldoutShare);
    for (const [, group] of ordered) {
      const part: CorpusPart = !heldoutFrozen && heldout < target && heldout + group.length <= target + Math.ceil(group.length / 2) ? 'heldout' : 'dev';
      if (part === 'heldout') heldout += group.length;
      for (const item of group) parts.set(item.id, part);
    }
  }
  return parts;
}

const latest = (group: CorpusItem[]): string => group.reduce((max, i) => (i.published > max ? i.published : max), '');
