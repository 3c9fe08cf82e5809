import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ARTICLE_ID_PATTERN, StoredArticle, ValidationError } from '@monitor/contracts';
import { NotFoundError } from '@monitor/runtime';
import { ARTICLE_STORE, ArticleStore, SearchResult, parseSearchRequest } from '@monitor/search';

@ApiTags('search')
@Controller()
export class SearchController {
  constructor(@Inject(ARTICLE_STORE) private readonly store: ArticleStore) {}

  @Get('search')
  @ApiOperation({
    summary: 'Full-text search over titles and texts (English, Russian, Chinese), with filters, facets and highlights',
    description:
      'Repeat a filter or separate values with commas: `topics=precursors,golden-triangle`. Highlights are HTML-escaped snippets with matches in <mark>.',
  })
  @ApiQuery({ name: 'q', required: false, description: 'Words (all must match) or "a quoted phrase"' })
  @ApiQuery({ name: 'topics', required: false, description: 'Topic ids (any of); see GET /topics' })
  @ApiQuery({ name: 'sources', required: false, description: 'Source ids (any of); see GET /sources' })
  @ApiQuery({ name: 'languages', required: false, description: 'Language codes: en, ru, zh, …' })
  @ApiQuery({ name: 'from', required: false, description: 'Published on or after (YYYY-MM-DD or ISO 8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'Published on or before (YYYY-MM-DD or ISO 8601)' })
  @ApiQuery({ name: 'page', required: false, description: '1-based page number' })
  @ApiQuery({ name: 'size', required: false, description: 'Hits per page, at most 100' })
  @ApiQuery({ name: 'sort', required: false, enum: ['relevance', 'date'] })
  @ApiOkResponse({ description: '{ total, page, size, hits: [{ article, score, highlights }], facets: { topics, sources, languages } }' })
  search(@Query() params: Record<string, unknown>): Promise<SearchResult> {
    return this.store.search(parseSearchRequest(params));
  }

  @Get('articles/:id')
  @ApiOperation({ summary: 'One article with its topics, scores and evidence, and its sanitised HTML (`html`) when the feed gave HTML' })
  async article(@Param('id') id: string): Promise<StoredArticle> {
    if (!ARTICLE_ID_PATTERN.test(id)) throw new ValidationError('id: not an article id', 'id');
    const article = await this.store.get(id);
    if (!article) throw new NotFoundError(`article ${id}`);
    return article;
  }
}
