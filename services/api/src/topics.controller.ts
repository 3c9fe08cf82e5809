import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TOPICS, TopicDefinition, validationErrorFromZod } from '@monitor/contracts';
import { TopicClassifier } from '@monitor/classifier';
import { TOPIC_CLASSIFIER } from '@monitor/classifier-stage';
import { z } from 'zod';

const ClassifyRequest = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  title: z.string().max(2_000),
  text: z.string().max(200_000).default(''),
  lang: z.string().max(10).optional(),
});

@ApiTags('topics')
@Controller()
export class TopicsController {
  constructor(@Inject(TOPIC_CLASSIFIER) private readonly classifier: TopicClassifier) {}

  @Get('topics')
  @ApiOperation({ summary: 'The topic ids and what belongs to each' })
  topics(): { taxonomyVersion: string; topics: readonly TopicDefinition[] } {
    return { taxonomyVersion: this.classifier.taxonomyVersion, topics: TOPICS };
  }

  @Post('classify')
  @ApiOperation({ summary: 'Classify one article: language, and each topic over threshold with score and evidence' })
  @ApiBody({ schema: { type: 'object', required: ['title'], properties: { id: { type: 'string' }, title: { type: 'string' }, text: { type: 'string' }, lang: { type: 'string' } } } })
  classify(@Body() body: unknown) {
    const parsed = ClassifyRequest.safeParse(body ?? {});
    if (!parsed.success) throw validationErrorFromZod(parsed.error, { root: 'body', topLevel: true });
    const { id, title, text, lang } = parsed.data;
    const result = this.classifier.classify({ title, text, lang });
    return { id, language: result.language, taxonomyVersion: result.taxonomyVersion, topics: result.topics };
  }
}
