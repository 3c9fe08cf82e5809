export * from './search.port';
export * from './search-highlighter';
export * from './search-paging';
export * from './stored-article';
export * from './search-request';
