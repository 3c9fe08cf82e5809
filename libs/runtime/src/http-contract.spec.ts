import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiCreatedResponse, OpenAPIObject } from '@nestjs/swagger';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { RequireKey } from './api-key.guard';
import { applyHttpContract } from './http-contract';
import { buildOpenApiDocument } from './openapi-document';

class Thing extends createZodDto(z.strictObject({ name: z.string().max(5), tags: z.array(z.enum(['a', 'b'])).optional(), nested: z.object({ url: z.string().url() }).optional() })) {}
class ThingQuery extends createZodDto(z.object({ limit: z.coerce.number().int().min(1).max(10).default(3) })) {}
class ThingPath extends createZodDto(z.object({ id: z.string().regex(/^t[0-9]+$/) })) {}

@Controller('things')
class ThingsController {
  @Get()
  list(@Query() query: ThingQuery) {
    return query;
  }

  @Get(':id')
  one(@Param() { id }: ThingPath) {
    return { id };
  }

  @Post()
  @RequireKey('admin')
  @ApiCreatedResponse({ description: 'The thing' })
  create(@Body() thing: Thing) {
    return thing;
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

@Controller('forgotten')
class ForgottenController {
  @Get()
  @RequireKey()
  get() {
    return 1;
  }
}

@Module({ controllers: [ForgottenController] })
class ForgottenModule {}

describe('the HTTP contract every service follows', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(ThingsModule, { logger: false, bodyParser: false, rawBody: true });
    applyHttpContract(app);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app.close());

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: { error: { code: string; message: string; field?: string } } }>(
      (resolve, reject) => {
        const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
        });
        req.once('error', reject);
        req.end(body);
      },
    );
  const json = { 'Content-Type': 'application/json' };

  it('answers a method a path does not serve with 405 and Allow, TRACE included, and OPTIONS with the list', async () => {
    for (const method of ['TRACE', 'DELETE', 'PUT']) {
      const answer = await call(method, '/things');
      expect([method, answer.status, answer.headers.allow, answer.json.error.code]).toEqual([method, 405, 'GET, HEAD, OPTIONS, POST', 'METHOD_NOT_ALLOWED']);
    }
    expect((await call('POST', '/things/t1')).headers.allow).toBe('GET, HEAD, OPTIONS');
    const options = await call('OPTIONS', '/things/t1');
    expect([options.status, options.headers.allow]).toEqual([204, 'GET, HEAD, OPTIONS']);
  });

  it('answers a path nothing serves with 404 in the error shape', async () => {
    const answer = await call('GET', '/nothing/here');
    expect([answer.status, answer.json.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('reads JSON bodies only: none is a 400 naming the body, another type a 415, broken JSON a 400', async () => {
    expect(await call('POST', '/things')).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED', field: 'body' } } });
    // Node sends an empty chunked body here, which the JSON parser alone would read as {}.
    expect(await call('POST', '/things', json)).toMatchObject({ status: 400, json: { error: { field: 'body' } } });
    expect(await call('POST', '/things', { ...json, 'Content-Length': '0' })).toMatchObject({ status: 400, json: { error: { field: 'body' } } });
    expect(await call('POST', '/things', { 'Content-Type': 'text/plain' }, '{"name":"x"}')).toMatchObject({ status: 415, json: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    expect(await call('POST', '/things', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'name=x')).toMatchObject({ status: 415 });
    expect(await call('POST', '/things', json, '{"name":')).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED', field: 'body' } } });
    expect(await call('POST', '/things', json, JSON.stringify({ name: 'x'.repeat(5_000_000) }))).toMatchObject({ status: 413, json: { error: { code: 'BODY_TOO_LARGE' } } });
  });

  it('validates with the DTO schema, naming the dotted field of a body and the parameter of a query or path', async () => {
    expect(await call('POST', '/things', json, JSON.stringify({ name: 'ok', tags: ['a'] }))).toMatchObject({ status: 201 });
    expect((await call('POST', '/things', json, JSON.stringify({ name: 'too long' }))).json.error.field).toBe('name');
    expect((await call('POST', '/things', json, JSON.stringify({ name: 'x', nested: { url: 'no' } }))).json.error.field).toBe('nested.url');
    expect((await call('POST', '/things', json, JSON.stringify({ name: 'x', colour: 'red' }))).json.error.field).toBe('colour');
    expect(await call('GET', '/things?limit=11')).toMatchObject({ status: 400, json: { error: { field: 'limit' } } });
    expect(await call('GET', '/things/x1')).toMatchObject({ status: 400, json: { error: { field: 'id' } } });
    expect(await call('GET', '/things/t1')).toMatchObject({ status: 200 });
  });

  it('documents every answer an operation can give, the auth it needs and the schemas that validate', () => {
    const document: OpenAPIObject = buildOpenApiDocument(app, { title: 't', description: 'd', version: '1' });
    expect(document.openapi).toBe('3.1.0');
    const create = document.paths['/things'].post!;
    expect(create.security).toEqual([{ 'api-key': ['admin'] }, { bearer: ['admin'] }]);
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '500', '503']);
    expect(create.responses['415']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    const list = document.paths['/things'].get!;
    expect(list.security).toBeUndefined();
    expect(list.parameters).toEqual([expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 10 }) })]);
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '500', '503']);
    expect(document.paths['/things/{id}'].get!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', schema: expect.objectContaining({ pattern: '^t[0-9]+$' }) })]);
    expect(document.components?.schemas?.Thing).toMatchObject({ additionalProperties: false, properties: { name: { type: 'string', maxLength: 5 } }, required: ['name'] });
    expect(document.components?.schemas?.Error).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'] } } });
  });

  it('refuses to publish an operation that declares errors but no success answer', async () => {
    const forgotten = await NestFactory.create<NestExpressApplication>(ForgottenModule, { logger: false, bodyParser: false, rawBody: true });
    try {
      expect(() => buildOpenApiDocument(forgotten, { title: 't', description: 'd', version: '1' })).toThrow('GET /forgotten declares no success answer');
    } finally {
      await forgotten.close();
    }
  });
});
