import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiKeyPrincipal,
  SUBSCRIPTION_ID_PATTERN,
  SUBSCRIPTION_STORE,
  SubscriptionChangeSchema,
  SubscriptionInputSchema,
  SubscriptionStore,
  SubscriptionView,
  WebhookUrlPolicy,
  subscriptionView,
} from '@monitor/alerts';
import { MonitorError, ValidationError } from '@monitor/contracts';
import { ApiError, ApiKeyGuard, Principal, RequireKey } from '@monitor/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

class NewSubscription extends createZodDto(SubscriptionInputSchema) {}
class SubscriptionChange extends createZodDto(SubscriptionChangeSchema) {}
export class SubscriptionPath extends createZodDto(
  z.object({ id: z.string().regex(SUBSCRIPTION_ID_PATTERN, 'a subscription id').meta({ description: 'A subscription id (s and 16 hex digits)' }) }),
) {}

const CHANGE_CONFLICT =
  'Changed by another writer since it was read (SUBSCRIPTION_CONFLICT; read it again and retry), or a change valid on its own that does not fit what the subscription holds: topicsMode "all" on one without topics, storyUpdates on one per article (SUBSCRIPTION_CHANGE_CONFLICT, naming the field)';
const NOT_YOURS = 'No subscription with this id among your key’s (another key’s is not yours to see)';

/** Subscriptions belong to the key that made them: another key's subscription answers 404. */
@ApiTags('subscriptions')
@Controller('subscriptions')
@UseGuards(ApiKeyGuard)
@RequireKey()
export class SubscriptionsController {
  constructor(
    @Inject(SUBSCRIPTION_STORE) private readonly subscriptions: SubscriptionStore,
    @Inject(WebhookUrlPolicy) private readonly webhookPolicy: WebhookUrlPolicy,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe to topics (and optionally a query, sources, languages, a minimum score)',
    description: 'Send `{}` to be told of every topic, once per story (per: "story", the default; per: "article" for an alert per article).',
  })
  @ApiCreatedResponse({ description: 'The subscription, with its id and (when a webhook has none of its own) the generated webhook secret; signingSecret is its whsec_ form' })
  async create(@Principal() principal: ApiKeyPrincipal, @Body() body: NewSubscription): Promise<SubscriptionView> {
    // Every field is checked (by the pipe) before the webhook host is looked up, so a bad body costs no DNS query.
    await this.checkWebhook(body);
    return subscriptionView(await this.subscriptions.create(principal.keyId, body));
  }

  @Get()
  @ApiOperation({ summary: "The caller's subscriptions" })
  @ApiOkResponse({ description: 'Your subscriptions' })
  async list(@Principal() principal: ApiKeyPrincipal): Promise<SubscriptionView[]> {
    return (await this.subscriptions.listByOwner(principal.keyId)).map(subscriptionView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your subscriptions' })
  @ApiOkResponse({ description: 'The subscription' })
  @ApiError(404, NOT_YOURS)
  async one(@Principal() principal: ApiKeyPrincipal, @Param() { id }: SubscriptionPath): Promise<SubscriptionView> {
    return subscriptionView(await this.subscriptions.get(principal.keyId, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones, the others stay)' })
  @ApiOkResponse({ description: 'The subscription as changed' })
  @ApiError(404, NOT_YOURS)
  @ApiError(409, CHANGE_CONFLICT)
  replace(@Principal() principal: ApiKeyPrincipal, @Param() { id }: SubscriptionPath, @Body() body: SubscriptionChange): Promise<SubscriptionView> {
    return this.change(principal, id, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a subscription (the fields given replace the old ones, the others stay)' })
  @ApiOkResponse({ description: 'The subscription as changed' })
  @ApiError(404, NOT_YOURS)
  @ApiError(409, CHANGE_CONFLICT)
  update(@Principal() principal: ApiKeyPrincipal, @Param() { id }: SubscriptionPath, @Body() body: SubscriptionChange): Promise<SubscriptionView> {
    return this.change(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiError(404, NOT_YOURS)
  async remove(@Principal() principal: ApiKeyPrincipal, @Param() { id }: SubscriptionPath): Promise<void> {
    await this.subscriptions.delete(principal.keyId, id);
  }

  private async change(principal: ApiKeyPrincipal, id: string, body: SubscriptionChange): Promise<SubscriptionView> {
    await this.subscriptions.get(principal.keyId, id);
    await this.checkWebhook(body);
    return subscriptionView(await this.subscriptions.update(principal.keyId, id, body));
  }

  /**
   * Refuses a webhook whose host is, or resolves to, a private or loopback address (SSRF), unless
   * the operator allowed it. Delivery checks again on every connection (DNS may change); this
   * check is what tells the subscriber now, with the field named. A host that does not resolve
   * now is not refused: a lookup can fail for a while (EAI_AGAIN), and every delivery looks it up
   * again and records why it failed, where the subscriber sees it (GET /alerts/deliveries).
   */
  private async checkWebhook(body: { channels?: { webhook?: { url: string } } }): Promise<void> {
    const url = body.channels?.webhook?.url;
    if (url === undefined) return;
    try {
      await this.webhookPolicy.checkResolved(url);
    } catch (error) {
      if (!(error instanceof MonitorError)) return;
      throw new ValidationError(`channels.webhook.url: ${error.message}`, 'channels.webhook.url', { cause: error });
    }
  }
}
