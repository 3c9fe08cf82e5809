export * from './gazetteer';
export * from './quantity-finder';
export * from './story-assigner';
export * from './story-evaluation';
