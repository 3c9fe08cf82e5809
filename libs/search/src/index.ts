export * from './search.port';
