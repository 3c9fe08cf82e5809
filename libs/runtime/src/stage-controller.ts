import { Controller, UseFilters, applyDecorators } from '@nestjs/common';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter';

/**
 * A pipeline stage: a controller whose `@EventPattern(consumes(...))` handlers the BusTransport
 * feeds with batches. Its errors go back to the transport unchanged (see RethrowRpcErrorsFilter):
 * a filter set on the application after the transport is connected would come too late.
 */
export function StageController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(RethrowRpcErrorsFilter));
}
