export * from './sqlite.store';
export * from './sqlite-story.store';
