import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@monitor/contracts';
import { SourceConfig, SourceHealth } from '@monitor/feeds';
import { ApiKeyGuard, RequireKey } from '@monitor/runtime';
import { SOURCE_OPERATIONS, SourceOperations } from '@monitor/collector-stage';
import { NotFoundError } from '@monitor/runtime';

export interface SourceView extends SourceConfig {
  health: SourceHealth;
}

/** Sources with their health; adding, enabling, disabling and polling need an admin key. */
@ApiTags('sources')
@Controller('sources')
@UseGuards(ApiKeyGuard)
export class SourcesController {
  constructor(@Inject(SOURCE_OPERATIONS) private readonly collector: SourceOperations) {}

  @Get()
  @ApiOperation({ summary: 'Every configured source with its health: status, reason (ROBOTS_DISALLOWED when its robots.txt keeps the collector out), last poll and success, next poll, the URL in use, article pages not read and why' })
  list(): Promise<SourceView[]> {
    return Promise.all(this.collector.registry.list().map((source) => this.view(source)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One source with its health' })
  one(@Param('id') id: string): Promise<SourceView> {
    const source = this.collector.registry.get(id);
    if (!source) throw new NotFoundError(`source ${id}`);
    return this.view(source);
  }

  @Post()
  @RequireKey('admin')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Add (or replace) a source; same fields as an entry of the sources file' })
  async add(@Body() body: unknown): Promise<SourceView> {
    return this.view(await this.collector.registry.upsert(body));
  }

  @Patch(':id')
  @RequireKey('admin')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Enable or disable a source: {"enabled": false}' })
  async update(@Param('id') id: string, @Body() body: { enabled?: unknown }): Promise<SourceView> {
    if (typeof body?.enabled !== 'boolean') throw new ValidationError('enabled: true or false', 'enabled');
    if (!this.collector.registry.get(id)) throw new NotFoundError(`source ${id}`);
    return this.view(await this.collector.registry.setEnabled(id, body.enabled));
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

  private async view(source: SourceConfig): Promise<SourceView> {
    return { ...source, health: (await this.collector.health(source.id))! };
  }
}
