import { z } from 'zod';

/** One article to classify (POST /classify); `id` is handed back as it came. */
export const ClassifyRequestSchema = z.object({
  id: z.union([z.string().max(2_000), z.number().min(-Number.MAX_VALUE).max(Number.MAX_VALUE)]).optional().meta({ description: 'Your own id, echoed in the answer' }),
  title: z.string().max(2_000),
  text: z.string().max(200_000).default(''),
  lang: z.string().max(10).optional().meta({ description: 'Language code when known (en, ru, zh); detected otherwise' }),
});

/** A re-classification (POST /admin/reclassify): the taxonomy file to run, or the one the process loaded. */
export const ReclassifyRequestSchema = z.strictObject({
  taxonomyFile: z
    .string()
    .min(1)
    .max(4_096)
    .optional()
    .meta({ description: 'Path of a taxonomy YAML file on the server; absent: the taxonomy this process loaded. No file there: 404; a file with faults: 400 naming them' }),
});
