import { ArgumentsHost, Catch, ExceptionFilter, HttpException, NotFoundException } from '@nestjs/common';
import { MonitorError, ValidationError } from '@monitor/contracts';
import type { Request, Response } from 'express';
import { ErrorBody } from './error-body';

/** Stable error codes that map to an HTTP status; anything else is a 500 (or 503 when retriable). */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  API_KEY_REJECTED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
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

/** A method the resource does not serve; `allow` lists the ones it does (the Allow header). */
export class MethodNotAllowedError extends MonitorError {
  constructor(
    method: string,
    path: string,
    readonly allow: string[],
  ) {
    super('METHOD_NOT_ALLOWED', `${method} is not served at ${path}; use ${allow.join(', ')}`);
  }
}

export class UnsupportedMediaTypeError extends MonitorError {
  constructor(contentType: string | undefined) {
    super('UNSUPPORTED_MEDIA_TYPE', `body: send JSON with Content-Type: application/json${contentType ? `, not ${contentType}` : ''}`);
  }
}

export class BodyTooLargeError extends MonitorError {
  constructor(limit: string) {
    super('BODY_TOO_LARGE', `body: larger than ${limit}`);
  }
}

/** The largest request body the JSON parser reads (the largest valid body, a classify request, is well under it). */
export const JSON_BODY_LIMIT = '4mb';

/**
 * What body-parser throws (an http-errors object with `type`) as the project's errors: a body that
 * is not JSON names the body, a charset or encoding it cannot read is a 415, a body over the limit
 * a 413. Undefined for anything else.
 */
export function bodyParserError(exception: unknown): MonitorError | undefined {
  const type = (exception as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new ValidationError('body: not valid JSON (a JSON object is expected)', 'body', { cause: exception });
    case 'entity.too.large':
      return new BodyTooLargeError(JSON_BODY_LIMIT);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new MonitorError('UNSUPPORTED_MEDIA_TYPE', `body: ${(exception as Error).message}`, { cause: exception });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ValidationError(`body: ${(exception as Error).message}`, 'body', { cause: exception });
    default:
      return undefined;
  }
}

/** The one error answer: status, the Allow header of a 405, and `{ error: { code, message, field? } }`. */
export function sendError(response: Response, error: MonitorError, logger?: { error(fields: object, message: string): void }): void {
  const status = httpStatusFor(error);
  // A ValidationError names its field; so may another error of a request (a change that conflicts).
  const named = (error as { field?: unknown }).field;
  const field = error instanceof ValidationError || typeof named === 'string' ? (named as string | undefined) : undefined;
  if (status >= 500) logger?.error({ err: error }, 'request failed');
  const message = status >= 500 ? 'internal error' : error.message;
  if (error instanceof MethodNotAllowedError) response.setHeader('Allow', error.allow.join(', '));
  writeError(response, status, { error: { code: error.code, message, ...(field ? { field } : {}) } });
}

// JSON whatever the route had set for its own answer (an Atom feed sets its type before it runs).
function writeError(response: Response, status: number, body: ErrorBody): void {
  response.status(status).type('application/json').send(JSON.stringify(body));
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
    if (exception instanceof MonitorError) return sendError(response, exception, this.logger);
    if (exception instanceof NotFoundException && isRouterMiss(exception, host.switchToHttp().getRequest<Request>())) {
      // Nest's own answer for a path no route serves ("Cannot GET /x"), in the project's shape.
      const request = host.switchToHttp().getRequest<Request>();
      return sendError(response, new MonitorError('NOT_FOUND', `no resource at ${request.path}`), this.logger);
    }
    if (exception instanceof HttpException) {
      // Nest's own (a path parameter with broken %-encoding is a BadRequestException).
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
      writeError(response, status, { error: { code: status === 400 ? 'VALIDATION_FAILED' : `HTTP_${status}`, message: Array.isArray(message) ? message.join('; ') : message } });
      return;
    }
    this.logger?.error({ err: exception }, 'request failed');
    writeError(response, 500, { error: { code: 'UNEXPECTED', message: 'internal error' } });
  }
}

// Nest's router answers an unmatched path with NotFoundException("Cannot METHOD /path").
function isRouterMiss(exception: NotFoundException, request: Request | undefined): boolean {
  return !!request && exception.message === `Cannot ${request.method} ${request.originalUrl ?? request.url}`;
}
