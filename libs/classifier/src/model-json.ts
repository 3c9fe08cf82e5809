import type { z } from 'zod';

/**
 * A model file read and checked against its schema: the learned second opinion and the second
 * look both ship as JSON, and both must fail naming the file and the first field that is wrong.
 */
export function parseModelJson<S extends z.ZodTypeAny>(source: string, schema: S, fail: (detail: string, cause?: unknown) => Error): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (cause) {
    throw fail(`invalid JSON: ${(cause as Error).message}`, cause);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw fail(`${issue.path.join('.') || '(root)'}: ${issue.message}`, result.error);
  }
  return result.data;
}
