import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEYS, ApiKeyInfo, ApiKeyRegistry, CreatedApiKey } from '@monitor/alerts';
import { ValidationError } from '@monitor/contracts';
import { ApiKeyGuard, RequireKey } from '@monitor/runtime';
import { NotFoundError } from '@monitor/runtime';

/** Operators mint and revoke analysts' keys with the admin key. */
@ApiTags('admin')
@ApiSecurity('api-key')
@Controller('admin/keys')
@UseGuards(ApiKeyGuard)
@RequireKey('admin')
export class ApiKeysController {
  constructor(@Inject(API_KEYS) private readonly keys: ApiKeyRegistry) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key ({"name": "...", "role": "analyst" | "admin"}); the secret is shown only in this answer' })
  create(@Body() body: { name?: unknown; label?: unknown; role?: unknown } = {}): Promise<CreatedApiKey> {
    const label = body.name ?? body.label ?? '';
    if (typeof label !== 'string') throw new ValidationError('name: a string', 'name');
    const role = body.role ?? 'analyst';
    if (role !== 'analyst' && role !== 'admin') throw new ValidationError('role: analyst or admin', 'role');
    return this.keys.create({ role, label });
  }

  @Get()
  @ApiOperation({ summary: 'List keys (never their secrets)' })
  list(): Promise<ApiKeyInfo[]> {
    return this.keys.list();
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key' })
  async revoke(@Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId))) throw new NotFoundError(`key ${keyId}`);
  }
}
