import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReclassifyRequestSchema, SecondLook, TopicClassifier, loadClassifier } from '@monitor/classifier';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { ApiError, ApiKeyGuard, RequireKey } from '@monitor/runtime';
import { ReclassificationReport, ReclassificationRunner, SECOND_LOOK, TOPIC_CLASSIFIER } from '@monitor/classifier-stage';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';
import { createZodDto } from 'nestjs-zod';

class ReclassifyRequest extends createZodDto(ReclassifyRequestSchema) {}

@ApiTags('admin')
@Controller('admin')
@UseGuards(ApiKeyGuard)
export class AdminController {
  private readonly runner = new ReclassificationRunner();

  constructor(
    @Inject(ARTICLE_STORE) private readonly store: ArticleStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPIC_CLASSIFIER) private readonly classifier: TopicClassifier,
    @Inject(SECOND_LOOK) private readonly look: SecondLook | null,
  ) {}

  @Post('reclassify')
  @HttpCode(200)
  @RequireKey('admin')
  @ApiOperation({
    summary:
      'Re-run a taxonomy (a file on the server, or the one this process loaded) over every stored article: topics updated in place, ' +
      'alerts only for subscriptions that newly match',
    description: 'Send `{}` to re-run the taxonomy this process loaded.',
  })
  @ApiOkResponse({ description: '{ taxonomyVersion, scanned, changed, unchanged, updated }' })
  @ApiError(400, 'The body breaks the schema, or the taxonomy file has faults (TAXONOMY_INVALID, naming the file, topic and field)')
  @ApiError(404, 'No readable taxonomy file at `taxonomyFile` (TAXONOMY_FILE_NOT_FOUND)')
  async reclassify(@Body() body: ReclassifyRequest): Promise<ReclassificationReport> {
    // A bad file fails here with TaxonomyError (naming the file, topic and field), before any article is touched.
    const classifier = body.taxonomyFile ? loadClassifier(body.taxonomyFile) : this.classifier;
    return this.runner.run({ store: this.store, bus: this.bus, classifier, look: this.look });
  }
}
