export * from './search.port';
export * from './search-highlighter';
export * from './search-paging';
export * from './stored-article';
export * from './sqlite.store';
export * from './elastic.store';
export * from './search-request';
