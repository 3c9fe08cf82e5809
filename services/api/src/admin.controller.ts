import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { validationErrorFromZod } from '@monitor/contracts';
import { TopicClassifier, loadClassifier } from '@monitor/classifier';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { ApiKeyGuard, RequireKey } from '@monitor/runtime';
import { ReclassificationReport, ReclassificationRunner, TOPIC_CLASSIFIER } from '@monitor/classifier-stage';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';
import { z } from 'zod';

const ReclassifyRequest = z.object({ taxonomyFile: z.string().min(1).max(4_096).optional() }).strict();

@ApiTags('admin')
@Controller('admin')
@UseGuards(ApiKeyGuard)
export class AdminController {
  private readonly runner = new ReclassificationRunner();

  constructor(
    @Inject(ARTICLE_STORE) private readonly store: ArticleStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPIC_CLASSIFIER) private readonly classifier: TopicClassifier,
  ) {}

  @Post('reclassify')
  @HttpCode(200)
  @RequireKey('admin')
  @ApiOperation({
    summary:
      'Re-run a taxonomy (a file on the server, or the one this process loaded) over every stored article: topics updated in place, ' +
      'alerts only for subscriptions that newly match',
  })
  @ApiBody({ schema: { type: 'object', properties: { taxonomyFile: { type: 'string', description: 'path of a taxonomy YAML file on the server' } } } })
  async reclassify(@Body() body: unknown): Promise<ReclassificationReport> {
    const parsed = ReclassifyRequest.safeParse(body ?? {});
    if (!parsed.success) throw validationErrorFromZod(parsed.error, { root: 'body', topLevel: true });
    // A bad file fails here with TaxonomyError (400, naming the file, topic and field), before any article is touched.
    const classifier = parsed.data.taxonomyFile ? loadClassifier(parsed.data.taxonomyFile) : this.classifier;
    return this.runner.run({ store: this.store, bus: this.bus, classifier });
  }
}
