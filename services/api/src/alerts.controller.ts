import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ALERT_LEDGER, AlertLedger, AlertStreamHub, ApiKeyPrincipal, lastEventIdFrom } from '@monitor/alerts';
import { ValidationError } from '@monitor/contracts';
import { ApiKeyGuard, Principal, RequireKey } from '@monitor/pipeline';
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
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-Sent Events: every alert of your subscriptions',
    description:
      'Each event has `id` (resume point) and `data` (an alerts.v1 JSON object). Reconnect with the `Last-Event-ID` header (EventSource does this itself) to receive what you missed; `Last-Event-ID: 0` replays everything. Browsers may pass the key as `?api_key=`.',
  })
  stream(@Principal() principal: ApiKeyPrincipal, @Req() req: Request, @Res() res: Response): void {
    this.hub.serve(res, { ownerKeyId: principal.keyId, lastEventId: lastEventIdFrom(req) });
  }

  @Get()
  @ApiOperation({ summary: 'Your alerts after a sequence number (default: from the start), oldest first' })
  list(@Principal() principal: ApiKeyPrincipal, @Query('after') after?: string, @Query('limit') limit?: string) {
    const afterSeq = after === undefined ? 0 : Number(after);
    if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new ValidationError('after: a non-negative integer', 'after');
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 500) throw new ValidationError('limit: 1 to 500', 'limit');
    return this.ledger.afterSeq(principal.keyId, afterSeq, size).map((entry) => ({ seq: entry.seq, ...entry.alert }));
  }
}
