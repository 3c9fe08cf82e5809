import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ARTICLE_ID_PATTERN, StoredArticle } from '@monitor/contracts';
import { ApiError, NotFoundError } from '@monitor/runtime';
import { ARTICLE_STORE, ArticleStore, SearchRequestSchema, SearchResult } from '@monitor/search';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

class SearchRequest extends createZodDto(SearchRequestSchema) {}
class ArticlePath extends createZodDto(z.object({ id: z.string().regex(ARTICLE_ID_PATTERN, 'an article id').meta({ description: 'An article id: a and 31 hex digits' }) })) {}

@ApiTags('search')
@Controller()
export class SearchController {
  constructor(@Inject(ARTICLE_STORE) private readonly store: ArticleStore) {}

  @Get('search')
  @ApiOperation({
    summary: 'Full-text search over titles and texts (English, Russian, Chinese), with filters, facets and highlights',
    description:
      'Repeat a filter or separate values with commas: `topics=precursors,golden-triangle`. Highlights are HTML-escaped snippets with matches in <mark>. ' +
      'With `collapse=story` each story is one row (its best-ranked matching article, with `story`: how many articles, which languages and other languages, how many sources, over the whole story); ' +
      '`total` and the pages then count rows (stories, and articles not in a story yet) and facets still count articles. ' +
      'An unknown parameter is a 400 naming it.',
  })
  @ApiOkResponse({
    description:
      '{ total, page, size, hits: [{ article, score, highlights, story? }], facets: { topics, sources, languages } }; `story` ({ id, articleCount, languages, otherLanguages, sourceCount }) only with collapse=story',
  })
  @ApiError(404, 'The page is past the first 10000 results, the most any search pages through (page × size > 10000; PAGE_NOT_FOUND)')
  search(@Query() query: SearchRequest): Promise<SearchResult> {
    return this.store.search(query);
  }

  @Get('articles/:id')
  @ApiOperation({ summary: 'One article with its topics, scores and evidence, and its sanitised HTML (`html`) when the feed gave HTML' })
  @ApiOkResponse({ description: 'The article' })
  @ApiError(404, 'No article with this id')
  async article(@Param() { id }: ArticlePath): Promise<StoredArticle> {
    const article = await this.store.get(id);
    if (!article) throw new NotFoundError(`article ${id}`);
    return article;
  }
}
