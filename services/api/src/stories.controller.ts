import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, NotFoundError } from '@monitor/runtime';
import { STORY_STORE, StoryDetail, StoryListRequestSchema, StoryPage, StoryStore } from '@monitor/search';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

class StoryListRequest extends createZodDto(StoryListRequestSchema) {}
/** Story ids as the story stage makes them (storyIdFor in @monitor/stories). */
class StoryPath extends createZodDto(z.object({ id: z.string().regex(/^story-[0-9a-f]{20}$/, 'a story id').meta({ description: 'A story id: story- and 20 hex digits' }) })) {}

@ApiTags('stories')
@Controller('stories')
export class StoriesController {
  constructor(@Inject(STORY_STORE) private readonly store: StoryStore) {}

  @Get()
  @ApiOperation({
    summary: 'Stories (one real-world event, all its reports across sources and languages), latest report first',
    description: 'Repeat a filter or separate values with commas: `topics=precursors,golden-triangle`. Page on with `cursor=<nextCursor>`. An unknown parameter is a 400 naming it.',
  })
  @ApiOkResponse({ description: '{ stories: [{ id, title, articleCount, languages, sources, topics, firstSeen, lastSeen }], nextCursor }' })
  list(@Query() query: StoryListRequest): Promise<StoryPage> {
    return this.store.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One story with its articles, oldest first' })
  @ApiOkResponse({ description: 'The story' })
  @ApiError(404, 'No story with this id')
  async story(@Param() { id }: StoryPath): Promise<StoryDetail> {
    const story = await this.store.get(id);
    if (!story) throw new NotFoundError(`story ${id}`);
    return story;
  }
}
