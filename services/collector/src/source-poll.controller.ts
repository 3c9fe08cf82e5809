import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SOURCE_OPERATIONS, SourceOperations } from '@monitor/collector-stage';
import { ApiKeyGuard, NotFoundError, RequireKey } from '@monitor/runtime';

/**
 * The one source operation that must run in the collector process, because only the collector
 * fetches: the api's `POST /sources/:id/poll` forwards here (RemoteSourceOperations).
 */
@ApiTags('sources')
@Controller('sources')
@UseGuards(ApiKeyGuard)
export class SourcePollController {
  constructor(@Inject(SOURCE_OPERATIONS) private readonly collector: SourceOperations) {}

  @Post(':id/poll')
  @HttpCode(200)
  @RequireKey('admin')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Poll a source now, whatever its schedule; answers with the outcome' })
  async poll(@Param('id') id: string) {
    if (!this.collector.registry.get(id)) throw new NotFoundError(`source ${id}`);
    return this.collector.pollNow(id);
  }
}
