import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEYS, API_KEY_ID_PATTERN, ApiKeyCreateSchema, ApiKeyInfo, ApiKeyRegistry, CreatedApiKey } from '@monitor/alerts';
import { ApiError, ApiKeyGuard, NotFoundError, RequireKey } from '@monitor/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

class ApiKeyCreate extends createZodDto(ApiKeyCreateSchema) {}
class ApiKeyPath extends createZodDto(z.object({ keyId: z.string().regex(API_KEY_ID_PATTERN, 'a key id').meta({ description: 'A key id (k and 12 hex digits), from GET /admin/keys' }) })) {}

/** Operators mint and revoke analysts' keys with the admin key. */
@ApiTags('admin')
@Controller('admin/keys')
@UseGuards(ApiKeyGuard)
@RequireKey('admin')
export class ApiKeysController {
  constructor(@Inject(API_KEYS) private readonly keys: ApiKeyRegistry) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key ({"name": "...", "role": "analyst" | "admin"}); the secret is shown only in this answer' })
  @ApiCreatedResponse({ description: 'The key, with its secret `key`' })
  create(@Body() body: ApiKeyCreate): Promise<CreatedApiKey> {
    return this.keys.create({ role: body.role, label: body.name ?? body.label ?? '' });
  }

  @Get()
  @ApiOperation({ summary: 'List keys (never their secrets)' })
  @ApiOkResponse({ description: 'Every key, revoked ones included' })
  list(): Promise<ApiKeyInfo[]> {
    return this.keys.list();
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiError(404, 'No such key, or it is already revoked')
  async revoke(@Param() { keyId }: ApiKeyPath): Promise<void> {
    if (!(await this.keys.revoke(keyId))) throw new NotFoundError(`key ${keyId}`);
  }
}
