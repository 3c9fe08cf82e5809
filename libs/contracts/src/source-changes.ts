import { z } from 'zod';

/**
 * The changelog of the API's changes to sources: one message per change, keyed by the source id,
 * on a compacted topic, so that the latest change of every source is kept forever and a process
 * that starts reads the whole topic to know the sources in force.
 *
 * A removal is a message with `removed: true`, never a tombstone (a null value): compaction drops
 * a tombstone's key after a while, and the source of the sources file it removed would then come
 * back for every process started later.
 */
export const SOURCES_TOPIC = 'sources.v1';

/**
 * The collectors of one monitor join this group on SOURCES_TOPIC: a source is polled by the one
 * member that owns the partition its id maps to, and a member that dies hands its partitions on.
 */
export const SOURCE_OWNERS_GROUP = 'collector-source-owners';

export const SourceChangeSchema = z
  .object({
    schema: z.literal('sources.v1'),
    sourceId: z.string().min(1),
    /** A whole source added or replaced at runtime (a sources-file entry, validated by its reader), or null to keep the file's. */
    config: z.record(z.string(), z.unknown()).nullable(),
    /** An enabled/disabled override, or null to keep the config's. */
    enabled: z.boolean().nullable(),
    removed: z.boolean(),
    changedAt: z.string().datetime(),
  })
  .strict();

export type SourceChange = z.infer<typeof SourceChangeSchema>;
