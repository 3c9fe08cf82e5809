import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  ALERT_LEDGER,
  AlertLedger,
  AlertListQuerySchema,
  AlertStreamHub,
  ApiKeyPrincipal,
  DELIVERY_LOG,
  DeliveryListQuerySchema,
  DeliveryLog,
  DeliveryRecord,
  lastEventIdFrom,
} from '@monitor/alerts';
import { API_KEY_SCHEMES, ApiEventStream, ApiKeyGuard, Principal, RequireKey } from '@monitor/runtime';
import { createZodDto } from 'nestjs-zod';
import type { Request, Response } from 'express';

class AlertListQuery extends createZodDto(AlertListQuerySchema) {}
class DeliveryListQuery extends createZodDto(DeliveryListQuerySchema) {}

@ApiTags('alerts')
@Controller('alerts')
@UseGuards(ApiKeyGuard)
@RequireKey()
export class AlertsController {
  constructor(
    @Inject(AlertStreamHub) private readonly hub: AlertStreamHub,
    @Inject(ALERT_LEDGER) private readonly ledger: AlertLedger,
    @Inject(DELIVERY_LOG) private readonly deliveries: DeliveryLog,
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiSecurity(API_KEY_SCHEMES.query)
  @ApiOperation({
    summary: 'Server-Sent Events: every alert of your subscriptions',
    description:
      'Each event has `id` (resume point) and `data` (an alerts.v1 JSON object). Reconnect with the `Last-Event-ID` header (EventSource does this itself) to receive what you missed; `Last-Event-ID: 0` replays everything. Browsers may pass the key as `?api_key=` (with `Accept: text/event-stream`).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id` of the last event received; 0 replays everything. Anything else than a sequence number is read as none' })
  @ApiQuery({ name: 'lastEventId', required: false, type: String, description: 'The same as the Last-Event-ID header, for clients that cannot send it' })
  @ApiEventStream({ description: 'An endless event stream (a comment every 15 s keeps it open)', events: ['alert'], data: 'One alert (alerts.v1)', json: true })
  async stream(@Principal() principal: ApiKeyPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.hub.serve(res, { ownerKeyId: principal.keyId, lastEventId: lastEventIdFrom(req) });
  }

  @Get('deliveries')
  @ApiOperation({
    summary: 'Webhook and email deliveries of your alerts and digests, newest first',
    description:
      'One row per alert (or digest) and channel: `status` is pending (being sent or retried), delivered or failed; `attempts` counts tries; `lastError` is the reason of the last failure. A failed delivery is also sent to the alerts.v1.dlq dead-letter topic (`deadLetterPending` while that is still to be done: at least once, retried until the bus takes it).',
  })
  @ApiOkResponse({ description: 'The deliveries' })
  listDeliveries(@Principal() principal: ApiKeyPrincipal, @Query() query: DeliveryListQuery): Promise<DeliveryRecord[]> {
    return this.deliveries.list({ ownerKeyId: principal.keyId, ...query });
  }

  @Get()
  @ApiOperation({ summary: 'Your alerts after a sequence number (default: from the start), oldest first' })
  @ApiOkResponse({ description: 'Each alert (alerts.v1) with its `seq`' })
  async list(@Principal() principal: ApiKeyPrincipal, @Query() { after, limit }: AlertListQuery) {
    return (await this.ledger.afterSeq(principal.keyId, after, limit)).map((entry) => ({ seq: entry.seq, ...entry.alert }));
  }
}
