export * from './elastic.store';
