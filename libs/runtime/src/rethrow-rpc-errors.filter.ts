import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a stage handler's error back to the bus transport unchanged, so that the batch stays
 * uncommitted and is retried (or its items dead-lettered), and so that HandlerFailureLog is the
 * one place that logs it: Nest's default filter would log every retry of an outage again.
 */
@Catch()
export class RethrowRpcErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
