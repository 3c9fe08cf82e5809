import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { MonitorError, ValidationError, ZodProblemOptions, validationErrorFromZod } from '@monitor/contracts';
import { createZodValidationPipe } from 'nestjs-zod';
import { ZodError } from 'zod';

/** Carries a failed parse out of nestjs-zod's pipe, so the error can name the field for where the value came from. */
class ParseFailure extends Error {
  constructor(readonly failure: unknown) {
    super('request validation failed');
  }
}

const ZodPipe = createZodValidationPipe({ createValidationException: (error) => new ParseFailure(error) });

// A body names the dotted path to the field (`channels.webhook.url`); query and path parameters
// are flat, so the parameter the client wrote is named even when zod points inside it (`topics.1`).
const FIELD_NAMING: Record<string, ZodProblemOptions> = {
  body: { root: 'body' },
  query: { root: 'query', topLevel: true, unknownKey: 'unknown parameter' },
  param: { root: 'path', topLevel: true },
};

/**
 * Validates every `@Body()`, `@Query()` and `@Param()` typed with a zod DTO (nestjs-zod's
 * `createZodDto`) against the DTO's schema, the same schema the OpenAPI document is made from, and
 * hands the handler the parsed value. A failure is the project's ValidationError naming the field
 * (400); a body that never came is one too, named `body`, rather than an empty object.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly zod = new ZodPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && value === undefined && isZodDto(metadata.metatype)) {
      throw new ValidationError('body: required (a JSON object, sent with Content-Type: application/json)', 'body');
    }
    try {
      return this.zod.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      const failure = error.failure;
      // A schema's own check may throw the project's error itself (a query the parser cannot read).
      if (failure instanceof MonitorError) throw failure;
      if (failure instanceof ZodError) throw validationErrorFromZod(failure, FIELD_NAMING[metadata.type] ?? {});
      throw failure;
    }
  }
}

function isZodDto(metatype: unknown): boolean {
  return typeof metatype === 'function' && (metatype as { isZodDto?: boolean }).isZodDto === true;
}
