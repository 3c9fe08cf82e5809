import { Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CollectorStage, SOURCE_OPERATIONS, SourceOperations, SourceOwnership } from '@monitor/collector-stage';
import { ApiKeyGuard, NotFoundError, RequireKey } from '@monitor/runtime';

/**
 * The one source operation that must run in the collector process, because only the collector
 * fetches: the api's `POST /sources/:id/poll` forwards here (RemoteSourceOperations). Any replica
 * polls a source it is asked to, owned or not: a poll is idempotent by article id. Each replica
 * also tells which sources it owns.
 */
@ApiTags('sources')
@Controller('sources')
@UseGuards(ApiKeyGuard)
export class SourcePollController {
  constructor(
    @Inject(SOURCE_OPERATIONS) private readonly collector: SourceOperations,
    @Inject(CollectorStage) private readonly stage: CollectorStage,
  ) {}

  @Get('owned')
  @RequireKey('admin')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'The sources this collector replica polls on schedule, and the partitions of sources.v1 that make them its own' })
  owned(): SourceOwnership {
    return this.stage.ownership();
  }

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
