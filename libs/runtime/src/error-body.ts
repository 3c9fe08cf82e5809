import { z } from 'zod';

/** The one shape of every error answer of every service; the OpenAPI document's `Error` schema is made from it. */
export const ErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({
        description:
          'Stable and machine-readable: VALIDATION_FAILED (400), API_KEY_REJECTED (401), FORBIDDEN (403), NOT_FOUND or SUBSCRIPTION_NOT_FOUND (404), ' +
          'METHOD_NOT_ALLOWED (405), SUBSCRIPTION_CONFLICT (409), BODY_TOO_LARGE (413), UNSUPPORTED_MEDIA_TYPE (415), UNEXPECTED (500), or the code of the failing part (503)',
      }),
      message: z.string().meta({ description: 'What was wrong, for a person; a bad request names the field first (`limit: 1 to 500`)' }),
      field: z.string().optional().meta({ description: 'The offending field on a 400: a dotted path in the body (`channels.webhook.url`), a query or path parameter, or `body`' }),
    }),
  })
  .meta({ description: 'Every error answer' });

export type ErrorBody = z.infer<typeof ErrorBodySchema>;
