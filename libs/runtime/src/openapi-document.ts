import { INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import { ErrorBodySchema } from './error-body';
import { JSON_BODY_LIMIT } from './http-error.filter';

const ERROR_REF = { $ref: '#/components/schemas/Error' };

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A parameter or the body breaks the schema (or the body is missing or not JSON); `error.field` names what was wrong',
  401: 'No API key, or one that is unknown or revoked (API_KEY_REJECTED)',
  403: 'The key is valid but not an admin key (FORBIDDEN)',
  404: 'Not found',
  409: 'Changed by another writer since it was read; read it again and retry',
  413: `The body is larger than ${JSON_BODY_LIMIT}`,
  415: 'The body is not sent as Content-Type: application/json (or in a charset or encoding that cannot be read)',
  500: 'Internal error (details are in the server log, never in the answer)',
  503: 'A store, the bus or another service is unavailable for now; retry later',
};

/** Declares an error answer (in the one error shape) of an operation, or of every operation of a controller. */
export function ApiError(status: number, description = ERROR_DESCRIPTIONS[status]): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, content: { 'application/json': { schema: ERROR_REF } } });
}

/**
 * A 200 that is an endless Server-Sent Events stream, each event as JSON Schema states one (its
 * `event` name, `id` and `data`), the way OpenAPI 3.2's `itemSchema` does and SSE-aware clients read.
 */
export function ApiEventStream(options: { description: string; events: string[]; data: string; json: boolean }): MethodDecorator {
  const event = {
    type: 'object',
    required: ['data'],
    properties: {
      event: { type: 'string', enum: options.events },
      id: { type: 'string', description: 'The resume point (send it back as Last-Event-ID)' },
      data: { type: 'string', description: options.data, ...(options.json ? { contentMediaType: 'application/json' } : {}) },
      retry: { description: 'Milliseconds a client waits before it reconnects' },
    },
  };
  return ApiResponse({ status: 200, description: options.description, content: { 'text/event-stream': { schema: event } } });
}

/** How a caller proves who it is, as the OpenAPI document names it (`api-key`, `bearer`, `api-key-query`). */
export const API_KEY_SCHEMES = { header: 'api-key', bearer: 'bearer', query: 'api-key-query' } as const;

/**
 * The api's OpenAPI 3.1 document: operations and schemas from the controllers and their zod DTOs
 * (nestjs-zod turns each DTO's zod schema into JSON Schema with zod's own `toJSONSchema`, so what
 * the document states is what the pipe checks), the auth schemes, and the answers every operation
 * can give whatever it does: 500 and 503 everywhere, and 400, 413 and 415 wherever a body or a
 * parameter is read.
 */
export function buildOpenApiDocument(app: INestApplication, info: { title: string; description: string; version: string }): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header', description: 'An API key: an analyst key minted by POST /admin/keys, or an admin key' }, API_KEY_SCHEMES.header)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The same API key as `Authorization: Bearer KEY`' }, API_KEY_SCHEMES.bearer)
    .addApiKey(
      { type: 'apiKey', name: 'api_key', in: 'query', description: 'The key in the URL, only where a client cannot send headers (EventSource, feed readers)' },
      API_KEY_SCHEMES.query,
    )
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  const { $schema: _schema, id: _id, ...errorSchema } = z.toJSONSchema(ErrorBodySchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: errorSchema } };
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (!operation) continue;
      const responses = operation.responses;
      // Swagger drops its default success answer once an operation declares any answer (an error),
      // so a forgotten one would leave the document saying the operation never succeeds.
      if (!Object.keys(responses).some((status) => status.startsWith('2'))) {
        throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} declares no success answer (add @ApiOkResponse, @ApiCreatedResponse or @ApiNoContentResponse)`);
      }
      const add = (status: number) => (responses[String(status)] ??= { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ERROR_REF } } });
      if (operation.requestBody) [400, 413, 415].forEach(add);
      if (operation.parameters?.length) add(400);
      add(500);
      add(503);
    }
  }
  return document;
}
