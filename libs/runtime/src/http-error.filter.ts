import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { MonitorError, ValidationError } from '@monitor/contracts';
import type { Response } from 'express';

/** Stable error codes that map to an HTTP status; anything else is a 500 (or 503 when retriable). */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  API_KEY_REJECTED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export function httpStatusFor(error: MonitorError): number {
  const known = STATUS_BY_CODE[error.code];
  if (known) return known;
  if (error.code.endsWith('_NOT_FOUND') || error.code.endsWith('_UNKNOWN')) return 404;
  if (error.code.endsWith('_REFUSED') || error.code.endsWith('_INVALID')) return 400;
  if (error.code.endsWith('_CONFLICT')) return 409;
  return error.retriable ? 503 : 500;
}

export class NotFoundError extends MonitorError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class UnauthorizedError extends MonitorError {
  constructor(message = 'a valid API key is required (X-API-Key header or Authorization: Bearer)') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends MonitorError {
  constructor(message = 'this needs an admin API key') {
    super('FORBIDDEN', message);
  }
}

/**
 * One error shape for every HTTP answer: `{ error: { code, message, field? } }`. A bad request
 * names the field; internal errors do not leak their details.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger?: { error(fields: object, message: string): void }) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof MonitorError) {
      const status = httpStatusFor(exception);
      const field = exception instanceof ValidationError ? exception.field : undefined;
      if (status >= 500) this.logger?.error({ err: exception }, 'request failed');
      const message = status >= 500 ? 'internal error' : exception.message;
      response.status(status).json({ error: { code: exception.code, message, ...(field ? { field } : {}) } });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
      response.status(status).json({ error: { code: `HTTP_${status}`, message: Array.isArray(message) ? message.join('; ') : message } });
      return;
    }
    if (exception instanceof SyntaxError && (exception as { status?: number }).status === 400) {
      response.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'body: not valid JSON', field: 'body' } });
      return;
    }
    this.logger?.error({ err: exception }, 'request failed');
    response.status(500).json({ error: { code: 'UNEXPECTED', message: 'internal error' } });
  }
}
