import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ALERT_LEDGER, AlertLedger, AlertStreamHub, ApiKeyPrincipal, DELIVERY_LOG, DeliveryLog, DeliveryRecord, DeliveryStatus, lastEventIdFrom } from '@monitor/alerts';
import { ValidationError } from '@monitor/contracts';
import { ApiKeyGuard, Principal, RequireKey } from '@monitor/runtime';
import type { Request, Response } from 'express';

@ApiTags('alerts')
@ApiSecurity('api-key')
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
  @ApiOperation({
    summary: 'Server-Sent Events: every alert of your subscriptions',
    description:
      'Each event has `id` (resume point) and `data` (an alerts.v1 JSON object). Reconnect with the `Last-Event-ID` header (EventSource does this itself) to receive what you missed; `Last-Event-ID: 0` replays everything. Browsers may pass the key as `?api_key=`.',
  })
  async stream(@Principal() principal: ApiKeyPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.hub.serve(res, { ownerKeyId: principal.keyId, lastEventId: lastEventIdFrom(req) });
  }

  @Get('deliveries')
  @ApiOperation({
    summary: 'Webhook and email deliveries of your alerts and digests, newest first',
    description:
      'One row per alert (or digest) and channel: `status` is pending (being sent or retried), delivered or failed; `attempts` counts tries; `lastError` is the reason of the last failure. A failed delivery is also sent to the alerts.v1.dlq dead-letter topic (`deadLetterPending` while that is still to be done: at least once, retried until the bus takes it).',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'delivered', 'failed'] })
  @ApiQuery({ name: 'subscriptionId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  listDeliveries(
    @Principal() principal: ApiKeyPrincipal,
    @Query('status') status?: string,
    @Query('subscriptionId') subscriptionId?: string,
    @Query('limit') limit?: string,
  ): Promise<DeliveryRecord[]> {
    if (status !== undefined && !['pending', 'delivered', 'failed'].includes(status)) {
      throw new ValidationError('status: pending, delivered or failed', 'status');
    }
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw new ValidationError('limit: 1 to 1000', 'limit');
    return this.deliveries.list({ ownerKeyId: principal.keyId, status: status as DeliveryStatus | undefined, subscriptionId, limit: size });
  }

  @Get()
  @ApiOperation({ summary: 'Your alerts after a sequence number (default: from the start), oldest first' })
  async list(@Principal() principal: ApiKeyPrincipal, @Query('after') after?: string, @Query('limit') limit?: string) {
    const afterSeq = after === undefined ? 0 : Number(after);
    if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new ValidationError('after: a non-negative integer', 'after');
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 500) throw new ValidationError('limit: 1 to 500', 'limit');
    return (await this.ledger.afterSeq(principal.keyId, afterSeq, size)).map((entry) => ({ seq: entry.seq, ...entry.alert }));
  }
}
