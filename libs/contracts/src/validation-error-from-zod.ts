import type { ZodError } from 'zod';
import { ValidationError } from './monitor-error';

export interface ZodProblemOptions {
  /** What was being validated, put before the field in the message (an event topic, a file). */
  context?: string;
  /** The field named when the whole value is wrong and the issue has no path. */
  root?: string;
  /**
   * Name only the top-level key: for flat inputs (query parameters, environment variables) the
   * key is what the client wrote, even when zod reports an element inside it (`topics.1`).
   */
  topLevel?: boolean;
  /** Says this instead of zod's wording for a key the schema does not know. */
  unknownKey?: string;
}

/** The problem a ZodError reports first: the path to the field, that path dotted, and what is wrong. */
export interface ZodProblem {
  path: string[];
  field: string;
  message: string;
}

/**
 * The one problem of a ZodError worth reporting. A misspelt key also makes the real key look
 * missing, so an unknown key is preferred and named in the path (`terms.0.wieght`): naming the
 * misspelling is what lets someone fix it.
 */
export function zodProblem(error: ZodError, options: ZodProblemOptions = {}): ZodProblem {
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return { path: [], field: options.root ?? '(root)', message: 'invalid' };
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const full = [...issue.path.map(String), ...(unknownKey !== undefined ? [unknownKey] : [])];
  const path = options.topLevel ? full.slice(0, 1) : full;
  const message = unknownKey !== undefined && options.unknownKey ? options.unknownKey : issue.message;
  return { path, field: path.join('.') || (options.root ?? '(root)'), message };
}

/**
 * A ZodError as the project's ValidationError: `field` names the offending field (the API answers
 * 400 with it) and the message reads `[context: ]field: problem`.
 */
export function validationErrorFromZod(error: ZodError, options: ZodProblemOptions = {}): ValidationError {
  const problem = zodProblem(error, options);
  const context = options.context ? `${options.context}: ` : '';
  return new ValidationError(`${context}${problem.field}: ${problem.message}`, problem.field, { cause: error });
}
