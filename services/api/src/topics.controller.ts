import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TOPICS, TopicDefinition } from '@monitor/contracts';
import { ClassifyRequestSchema, SecondLook, TopicClassifier, classifyWithSecondLook } from '@monitor/classifier';
import { SECOND_LOOK, TOPIC_CLASSIFIER } from '@monitor/classifier-stage';
import { createZodDto } from 'nestjs-zod';

class ClassifyRequest extends createZodDto(ClassifyRequestSchema) {}

@ApiTags('topics')
@Controller()
export class TopicsController {
  constructor(
    @Inject(TOPIC_CLASSIFIER) private readonly classifier: TopicClassifier,
    @Inject(SECOND_LOOK) private readonly look: SecondLook | null,
  ) {}

  @Get('topics')
  @ApiOperation({ summary: 'The topic ids and what belongs to each' })
  topics(): { taxonomyVersion: string; topics: readonly TopicDefinition[] } {
    return { taxonomyVersion: this.classifier.taxonomyVersion, topics: TOPICS };
  }

  @Post('classify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Classify one article: language, and its topics with score and evidence (the rules, then the second look when it is on)' })
  async classify(@Body() { id, title, text, lang }: ClassifyRequest) {
    // The same answer as the pipeline gives: with the second look when this process runs one.
    const result = await classifyWithSecondLook(this.classifier, this.look, { title, text, lang });
    return { id, language: result.language, taxonomyVersion: result.taxonomyVersion, topics: result.topics };
  }
}
