import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyPrincipal, SUBSCRIPTION_STORE, Subscription, SubscriptionStore } from '@monitor/alerts';
import { ApiKeyGuard, Principal, RequireKey } from '@monitor/pipeline';

const SUBSCRIPTION_BODY = {
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      topics: { type: 'array', items: { type: 'string' }, description: 'Topic ids (GET /topics); empty or absent: any topic' },
      topicsMode: { type: 'string', enum: ['any', 'all'] },
      query: { type: 'string', description: 'Simple query over title and text: words, "phrases", -excluded, OR' },
      sources: { type: 'array', items: { type: 'string' } },
      languages: { type: 'array', items: { type: 'string' } },
      minScore: { type: 'number' },
      delivery: { type: 'object', properties: { mode: { type: 'string', enum: ['immediate', 'hourly', 'daily'] } } },
      channels: { type: 'object', description: 'SSE always; optional webhook { url, secret } and email { to }' },
      spikeAlerts: { type: 'boolean' },
    },
  },
};

/** Subscriptions belong to the key that made them: another key's subscription answers 404. */
@ApiTags('subscriptions')
@ApiSecurity('api-key')
@Controller('subscriptions')
@UseGuards(ApiKeyGuard)
@RequireKey()
export class SubscriptionsController {
  constructor(@Inject(SUBSCRIPTION_STORE) private readonly subscriptions: SubscriptionStore) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe to topics (and optionally a query, sources, languages, a minimum score)' })
  @ApiBody(SUBSCRIPTION_BODY)
  create(@Principal() principal: ApiKeyPrincipal, @Body() body: unknown): Subscription {
    return this.subscriptions.create(principal.keyId, body ?? {});
  }

  @Get()
  @ApiOperation({ summary: "The caller's subscriptions" })
  list(@Principal() principal: ApiKeyPrincipal): Subscription[] {
    return this.subscriptions.listByOwner(principal.keyId);
  }

  @Get(':id')
  one(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string): Subscription {
    return this.subscriptions.get(principal.keyId, id);
  }

  @Put(':id')
  @ApiBody(SUBSCRIPTION_BODY)
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones)' })
  replace(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string, @Body() body: unknown): Subscription {
    return this.subscriptions.update(principal.keyId, id, body ?? {});
  }

  @Patch(':id')
  @ApiBody(SUBSCRIPTION_BODY)
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones)' })
  update(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string, @Body() body: unknown): Subscription {
    return this.subscriptions.update(principal.keyId, id, body ?? {});
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string): void {
    this.subscriptions.delete(principal.keyId, id);
  }
}
