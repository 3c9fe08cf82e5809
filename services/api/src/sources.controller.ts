import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SOURCE_ID_PATTERN, SourceConfig, SourceConfigSchema, SourceHealth } from '@monitor/feeds';
import { ApiError, ApiKeyGuard, NotFoundError, RequireKey } from '@monitor/runtime';
import { SOURCE_OPERATIONS, SourceOperations } from '@monitor/collector-stage';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export interface SourceView extends SourceConfig {
  health: SourceHealth;
}

class SourceBody extends createZodDto(SourceConfigSchema) {}
class SourceEnabled extends createZodDto(z.strictObject({ enabled: z.boolean().meta({ description: 'false stops polling the source; true resumes it' }) })) {}
class SourcePath extends createZodDto(z.object({ id: z.string().regex(SOURCE_ID_PATTERN, 'a source id').meta({ description: 'A source id (GET /sources)' }) })) {}

/** Sources with their health; adding, enabling, disabling and polling need an admin key. */
@ApiTags('sources')
@Controller('sources')
@UseGuards(ApiKeyGuard)
export class SourcesController {
  constructor(@Inject(SOURCE_OPERATIONS) private readonly collector: SourceOperations) {}

  @Get()
  @ApiOperation({ summary: 'Every configured source with its health: status, reason (ROBOTS_DISALLOWED when its robots.txt keeps the collector out), last poll and success, next poll, the URL in use, article pages not read and why' })
  @ApiOkResponse({ description: 'The sources with their health' })
  list(): Promise<SourceView[]> {
    return Promise.all(this.collector.registry.list().map((source) => this.view(source)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One source with its health' })
  @ApiOkResponse({ description: 'The source with its health' })
  @ApiError(404, 'No source with this id')
  one(@Param() { id }: SourcePath): Promise<SourceView> {
    return this.view(this.existing(id));
  }

  @Post()
  @RequireKey('admin')
  @ApiOperation({ summary: 'Add (or replace) a source; same fields as an entry of the sources file' })
  @ApiCreatedResponse({ description: 'The source as stored, with its health' })
  async add(@Body() source: SourceBody): Promise<SourceView> {
    return this.view(await this.collector.registry.upsert(source));
  }

  @Patch(':id')
  @RequireKey('admin')
  @ApiOperation({ summary: 'Enable or disable a source: {"enabled": false}' })
  @ApiOkResponse({ description: 'The source as changed, with its health' })
  @ApiError(404, 'No source with this id')
  async update(@Param() { id }: SourcePath, @Body() { enabled }: SourceEnabled): Promise<SourceView> {
    this.existing(id);
    return this.view(await this.collector.registry.setEnabled(id, enabled));
  }

  @Post(':id/poll')
  @HttpCode(200)
  @RequireKey('admin')
  @ApiOperation({ summary: 'Poll a source now, whatever its schedule; answers with the outcome' })
  @ApiOkResponse({ description: '{ sourceId, ok, published, activeUrl?, error? }: a failed poll is a 200 with ok false and the reason' })
  @ApiError(404, 'No source with this id')
  poll(@Param() { id }: SourcePath) {
    this.existing(id);
    return this.collector.pollNow(id);
  }

  private existing(id: string): SourceConfig {
    const source = this.collector.registry.get(id);
    if (!source) throw new NotFoundError(`source ${id}`);
    return source;
  }

  private async view(source: SourceConfig): Promise<SourceView> {
    return { ...source, health: (await this.collector.health(source.id))! };
  }
}
