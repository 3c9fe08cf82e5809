export * from './elastic.store';
export * from './elastic-story.store';
