import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyPrincipal, SUBSCRIPTION_STORE, SubscriptionStore, SubscriptionView, WebhookUrlPolicy, parseSubscriptionInput, subscriptionView } from '@monitor/alerts';
import { MonitorError, ValidationError } from '@monitor/contracts';
import { ApiKeyGuard, Principal, RequireKey } from '@monitor/runtime';

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
      channels: {
        type: 'object',
        description:
          'SSE always; optional webhook { url, secret } and email { to }. The webhook secret is a Standard Webhooks key (whsec_<base64>, 16 to 64 bytes) or a passphrase of 16+ characters; generated (whsec_) when absent. Answers show it also as signingSecret, the whsec_ form a Standard Webhooks library verifies with (read-only). A webhook URL whose host resolves to a private or loopback address is refused (400, field channels.webhook.url) unless the operator allowed it (ALLOW_PRIVATE_WEBHOOK_HOSTS).',
      },
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
  constructor(
    @Inject(SUBSCRIPTION_STORE) private readonly subscriptions: SubscriptionStore,
    @Inject(WebhookUrlPolicy) private readonly webhookPolicy: WebhookUrlPolicy,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe to topics (and optionally a query, sources, languages, a minimum score)' })
  @ApiBody(SUBSCRIPTION_BODY)
  async create(@Principal() principal: ApiKeyPrincipal, @Body() body: unknown): Promise<SubscriptionView> {
    // Every field is checked before the webhook host is looked up, so a bad body costs no DNS query.
    parseSubscriptionInput(body ?? {});
    await this.checkWebhook(body);
    return subscriptionView(await this.subscriptions.create(principal.keyId, body ?? {}));
  }

  @Get()
  @ApiOperation({ summary: "The caller's subscriptions" })
  async list(@Principal() principal: ApiKeyPrincipal): Promise<SubscriptionView[]> {
    return (await this.subscriptions.listByOwner(principal.keyId)).map(subscriptionView);
  }

  @Get(':id')
  async one(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string): Promise<SubscriptionView> {
    return subscriptionView(await this.subscriptions.get(principal.keyId, id));
  }

  @Put(':id')
  @ApiBody(SUBSCRIPTION_BODY)
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones)' })
  async replace(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string, @Body() body: unknown): Promise<SubscriptionView> {
    await this.subscriptions.get(principal.keyId, id);
    await this.checkWebhook(body);
    return subscriptionView(await this.subscriptions.update(principal.keyId, id, body ?? {}));
  }

  @Patch(':id')
  @ApiBody(SUBSCRIPTION_BODY)
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones)' })
  async update(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string, @Body() body: unknown): Promise<SubscriptionView> {
    await this.subscriptions.get(principal.keyId, id);
    await this.checkWebhook(body);
    return subscriptionView(await this.subscriptions.update(principal.keyId, id, body ?? {}));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Principal() principal: ApiKeyPrincipal, @Param('id') id: string): Promise<void> {
    await this.subscriptions.delete(principal.keyId, id);
  }

  /**
   * Refuses a webhook whose host is, or resolves to, a private or loopback address (SSRF), unless
   * the operator allowed it. Delivery checks again on every connection (DNS may change); this
   * check is what tells the subscriber now, with the field named.
   */
  private async checkWebhook(body: unknown): Promise<void> {
    const url = (body as { channels?: { webhook?: { url?: unknown } } } | null)?.channels?.webhook?.url;
    if (typeof url !== 'string') return;
    try {
      await this.webhookPolicy.checkResolved(url.trim());
    } catch (error) {
      const reason = error instanceof MonitorError ? error.message : `cannot resolve the host (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`;
      throw new ValidationError(`channels.webhook.url: ${reason}`, 'channels.webhook.url', { cause: error });
    }
  }
}
