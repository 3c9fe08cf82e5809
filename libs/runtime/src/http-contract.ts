import type { NestExpressApplication } from '@nestjs/platform-express';
import { allowedMethods } from './allowed-methods';
import { HttpErrorFilter, JSON_BODY_LIMIT, bodyParserError } from './http-error.filter';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { RequestValidationPipe } from './request-validation.pipe';

/**
 * What every HTTP answer of every service follows, set on an app created with `bodyParser: false`
 * and `rawBody: true` (before it is initialised): the one error shape; a method a path does not serve answered 405
 * with Allow, ahead of the body parser and the routes; JSON bodies only (415 otherwise, a broken
 * one 400, an oversized one 413); parameters and bodies typed with zod DTOs validated against the
 * same schemas the OpenAPI document is made from.
 */
export function applyHttpContract(app: NestExpressApplication, logger?: { error(fields: object, message: string): void }): void {
  app.useGlobalFilters(new HttpErrorFilter(logger));
  const express = app.getHttpAdapter().getInstance();
  app.use(allowedMethods(() => express.router));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // The parser's errors as the project's (Nest would turn a bad body into a bare 400 and the rest into 500s).
  app.use((error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void) => next(bodyParserError(error) ?? error));
  app.useGlobalInterceptors(new JsonBodyInterceptor());
  app.useGlobalPipes(new RequestValidationPipe());
}
