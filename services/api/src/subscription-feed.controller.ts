import { Controller, Get, Header, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ALERT_LEDGER, API_KEYS, AlertLedger, ApiKeyRegistry, SUBSCRIPTION_STORE, SubscriptionStore, apiKeyOfRequest, renderAtomFeed } from '@monitor/alerts';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { API_KEY_SCHEMES, ApiError } from '@monitor/runtime';
import type { Request } from 'express';
import { SubscriptionPath } from './subscriptions.controller';

const FEED_SIZE = 50;

/** An Atom feed per subscription, so an analyst can follow its alerts in any feed reader. */
@ApiTags('subscriptions')
@Controller('subscriptions')
export class SubscriptionFeedController {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeyRegistry,
    @Inject(SUBSCRIPTION_STORE) private readonly subscriptions: SubscriptionStore,
    @Inject(ALERT_LEDGER) private readonly ledger: AlertLedger,
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
  ) {}

  @Get(':id/feed.atom')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @Header('Cache-Control', 'private, no-cache')
  @ApiProduces('application/atom+xml')
  @ApiSecurity(API_KEY_SCHEMES.header)
  @ApiSecurity(API_KEY_SCHEMES.bearer)
  @ApiSecurity(API_KEY_SCHEMES.query)
  @ApiQuery({ name: 'api_key', required: false, description: 'The owner’s key, for feed readers that cannot send headers' })
  @ApiOperation({ summary: 'Atom 1.0 feed of the subscription’s latest alerts (owner’s key)' })
  @ApiResponse({ status: 200, description: 'The feed', content: { 'application/atom+xml': { schema: { type: 'string' } } } })
  @ApiError(401)
  @ApiError(404, 'No subscription with this id among the key’s')
  async feed(@Param() { id }: SubscriptionPath, @Req() req: Request, @Query('api_key') queryKey?: string): Promise<string> {
    // Feed readers fetch a URL and can send no header, so the key may come in the query string too.
    // The feed is read-only and scoped to this one owner, and the key is known to be in the URL,
    // which is why only this route accepts it there (ApiKeyGuard does not).
    const principal = await this.keys.resolve(apiKeyOfRequest(req.headers, typeof queryKey === 'string' ? queryKey : undefined));
    const subscription = await this.subscriptions.get(principal.keyId, id);
    const base = this.config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.get('host') ?? `${this.config.HOST}:${this.config.PORT}`}`;
    // The self link leaves the key out: a feed document gets copied and shared, the key must not be.
    const selfUrl = new URL(`subscriptions/${encodeURIComponent(subscription.id)}/feed.atom`, base.endsWith('/') ? base : `${base}/`).href;
    return renderAtomFeed({ subscription, entries: await this.ledger.latestForSubscription(subscription.id, FEED_SIZE), selfUrl });
  }
}
