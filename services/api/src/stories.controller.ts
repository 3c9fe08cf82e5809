import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationError } from '@monitor/contracts';
import { NotFoundError } from '@monitor/runtime';
import { STORY_STORE, StoryDetail, StoryPage, StoryStore, parseStoryListRequest } from '@monitor/search';

/** Story ids as the story stage makes them (storyIdFor in @monitor/stories). */
const STORY_ID_PATTERN = /^story-[0-9a-f]{20}$/;

@ApiTags('stories')
@Controller('stories')
export class StoriesController {
  constructor(@Inject(STORY_STORE) private readonly store: StoryStore) {}

  @Get()
  @ApiOperation({
    summary: 'Stories (one real-world event, all its reports across sources and languages), latest report first',
    description: 'Repeat a filter or separate values with commas: `topics=precursors,golden-triangle`. Page on with `cursor=<nextCursor>`.',
  })
  @ApiQuery({ name: 'topics', required: false, description: 'Topic ids (any of); see GET /topics' })
  @ApiQuery({ name: 'languages', required: false, description: 'Language codes (any of): en, ru, zh, …' })
  @ApiQuery({ name: 'from', required: false, description: 'With a report on or after (YYYY-MM-DD or ISO 8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'With a report on or before (YYYY-MM-DD or ISO 8601)' })
  @ApiQuery({ name: 'limit', required: false, description: 'Stories per page, 1 to 100, default 20' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ description: '{ stories: [{ id, title, articleCount, languages, sources, topics, firstSeen, lastSeen }], nextCursor }' })
  list(@Query() params: Record<string, unknown>): Promise<StoryPage> {
    return this.store.list(parseStoryListRequest(params));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One story with its articles, oldest first' })
  async story(@Param('id') id: string): Promise<StoryDetail> {
    if (!STORY_ID_PATTERN.test(id)) throw new ValidationError('id: not a story id', 'id');
    const story = await this.store.get(id);
    if (!story) throw new NotFoundError(`story ${id}`);
    return story;
  }
}
