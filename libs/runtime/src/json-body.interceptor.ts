import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { UnsupportedMediaTypeError } from './http-error.filter';

/**
 * Every request body this API reads is JSON. A body in another type (a form, text, no Content-Type
 * at all) is refused with 415 rather than read as if it were empty, and an empty one is no body
 * (the JSON parser would make it `{}`), so the validation pipe names it missing. An interceptor,
 * so that it runs after the key is checked: a caller without a valid key learns 401 first,
 * whatever it sent. Needs the app's `rawBody` option (the parser then keeps the bytes it read).
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
      if (hasBody(request) && !request.is('application/json')) throw new UnsupportedMediaTypeError(request.headers['content-type']);
      if (request.rawBody?.length === 0) request.body = undefined;
    }
    return next.handle();
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
