import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import { API_KEYS, ApiKeyPrincipal, ApiKeyRegistry, apiKeyOfRequest } from '@monitor/alerts';
import type { Request } from 'express';
import { ForbiddenError } from './http-error.filter';
import { API_KEY_SCHEMES, ApiError } from './openapi-document';

const ROLE = 'monitor:role';
type RequestWithPrincipal = Request & { principal?: ApiKeyPrincipal };

/**
 * The route needs a valid API key (401 otherwise); with 'admin', an admin key (403 otherwise). The
 * OpenAPI document says so from the same decorator: the key in a header or as a bearer token
 * (with the role `admin` where one is needed), and the 401 and 403 answers.
 */
export const RequireKey = (role: 'analyst' | 'admin' = 'analyst') => {
  const roles = role === 'admin' ? ['admin'] : [];
  return applyDecorators(
    SetMetadata(ROLE, role),
    ApiSecurity(API_KEY_SCHEMES.header, roles),
    ApiSecurity(API_KEY_SCHEMES.bearer, roles),
    ApiError(401),
    ...(role === 'admin' ? [ApiError(403)] : []),
  );
};

/** The principal of the key that called, set by ApiKeyGuard. */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): ApiKeyPrincipal => {
  return context.switchToHttp().getRequest<RequestWithPrincipal>().principal!;
});

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKeyRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const role = this.reflector.getAllAndOverride<'analyst' | 'admin' | undefined>(ROLE, [context.getHandler(), context.getClass()]);
    if (!role) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = await this.keys.resolve(apiKeyOfRequest(request.headers, keyFromEventStreamQuery(request)));
    if (role === 'admin' && principal.role !== 'admin') throw new ForbiddenError();
    request.principal = principal;
    return true;
  }
}

/**
 * Browsers' EventSource cannot send headers, so an event stream may carry its key as ?api_key=.
 * Only event streams: a key in any other URL would end up in logs and histories for no reason.
 */
function keyFromEventStreamQuery(request: Request): string | undefined {
  if (request.method !== 'GET' || !String(request.headers.accept ?? '').includes('text/event-stream')) return undefined;
  const value = request.query.api_key;
  return typeof value === 'string' ? value : undefined;
}
