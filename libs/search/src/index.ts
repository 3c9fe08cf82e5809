export * from './search.port';
export * from './search-highlighter';
export * from './search-paging';
export * from './stored-article';
export * from './search-request';
export * from './story-store.port';
export * from './story-listing';
export * from './story-rows';
