/**
 * The one error base of the project. `code` is stable and machine-readable (logs, health, API
 * answers and dead-letter reasons carry it); `retriable` decides whether a retry policy may try
 * again; `cause` keeps the underlying error. Retry only what says it is retriable.
 */
export class MonitorError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  override readonly cause?: unknown;

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.cause = options.cause;
  }

  toJSON(): { code: string; message: string; retriable: boolean } {
    return { code: this.code, message: this.message, retriable: this.retriable };
  }
}

/** Bad input: a request field, a config variable, an event that breaks its schema. Never retriable. */
export class ValidationError extends MonitorError {
  constructor(
    message: string,
    readonly field: string,
    options: { cause?: unknown } = {},
  ) {
    super('VALIDATION_FAILED', message, { retriable: false, cause: options.cause });
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof MonitorError && error.retriable;
}

export function errorCode(error: unknown): string {
  return error instanceof MonitorError ? error.code : 'UNEXPECTED';
}
